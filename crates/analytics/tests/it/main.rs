//! Analytics' integration tests, one binary: properties of the open-item rules and of the DAF's views over random
//! ledgers.

mod properties;
mod report_properties;
