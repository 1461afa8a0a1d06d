//! Line numbers of byte offsets in a text, for readers that report `file:line` on every record they read: the
//! XML parser's own position lookup scans from the start of the text each time, quadratic over a large statement.

/// Where each line of a text starts.
#[derive(Debug, Clone)]
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(
            text.bytes()
                .enumerate()
                .filter(|(_, b)| *b == b'\n')
                .map(|(i, _)| i + 1),
        );
        Self { starts }
    }

    /// The 1-based line holding the byte at `offset` (offsets past the end are on the last line).
    pub fn line_of(&self, offset: usize) -> usize {
        self.starts.partition_point(|&s| s <= offset)
    }
}

#[cfg(test)]
mod tests {
    use super::LineIndex;

    #[test]
    fn offsets_fall_on_their_line() {
        let text = "ab\ncd\n\nef";
        let index = LineIndex::new(text);
        let lines: Vec<usize> = (0..text.len()).map(|o| index.line_of(o)).collect();
        assert_eq!(lines, [1, 1, 1, 2, 2, 2, 3, 4, 4]);
        assert_eq!(index.line_of(100), 4);
        assert_eq!(LineIndex::new("").line_of(0), 1);
    }
}
