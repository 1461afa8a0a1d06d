//! The actions log's vocabulary: what was done and what came of it.

use super::scenario::Channel;
use crate::words::word_enum;

word_enum!(
    /// What a logged action was.
    ActionKind {
        Email = "email",
        Letter = "letter",
        Call = "call",
        Sms = "sms",
        Note = "note",
    }
);

word_enum!(
    /// What came of a contact (a call mostly).
    Outcome {
        Promise = "promise",
        Dispute = "dispute",
        NoAnswer = "no_answer",
        WrongContact = "wrong_contact",
        SaysPaid = "says_paid",
        CallBack = "call_back",
    }
);

impl ActionKind {
    /// A contact with the customer, which the minimum gap between two chases counts (a note is not).
    pub fn is_chase(self) -> bool {
        !matches!(self, ActionKind::Note)
    }

    /// The kind of action that carries out a step through its first channel.
    pub fn for_channel(channel: Channel) -> ActionKind {
        match channel {
            Channel::Email => ActionKind::Email,
            Channel::Letter => ActionKind::Letter,
            Channel::Call => ActionKind::Call,
            Channel::SmsTask => ActionKind::Sms,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words() {
        assert_eq!("says_paid".parse::<Outcome>(), Ok(Outcome::SaysPaid));
        assert_eq!("note".parse::<ActionKind>(), Ok(ActionKind::Note));
        assert!("fax".parse::<ActionKind>().is_err());
        assert!(!ActionKind::Note.is_chase() && ActionKind::Call.is_chase());
        assert_eq!(ActionKind::for_channel(Channel::SmsTask), ActionKind::Sms);
    }
}
