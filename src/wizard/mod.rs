//! The guided wizard: from a symptom (or an error message) through questions to the root
//! cause and the configuration fix.
//!
//! [`engine`] is the pure state machine; [`recognise`] answers questions from pasted
//! output (`present::wizard` renders its end screen and transcript); [`script`] drives
//! the engine from an answers file and [`interactive`] from a [`Prompter`](interactive::Prompter),
//! whose terminal implementation (dialoguer) lives in [`prompt`].

pub mod engine;
pub mod interactive;
pub mod prompt;
pub mod recognise;
pub mod script;

/// The answer the kind of VPN gives to the question that asks for it ("VPN Client or
/// LAN-to-LAN?"), when it is known.
pub fn topology_answer(
    q: &crate::kb::schema::Question,
    topology: Option<crate::kb::schema::Topology>,
) -> Option<&str> {
    use crate::kb::schema::Topology;
    if q.id != "q-client-or-l2l" {
        return None;
    }
    let wanted = match topology? {
        Topology::L2l => "l2l",
        Topology::RemoteAccess => "vpn-client",
        Topology::Any => return None,
    };
    q.answers
        .iter()
        .find(|a| a.id == wanted)
        .map(|a| a.id.as_str())
}

/// What a pasted error line is about: the knowledge-base entry (ID and kind) that a
/// confident search answers with. The command layer supplies it, so the wizard reads no
/// index of its own and no reader imports another.
pub type Lookup<'a> = &'a dyn Fn(&str) -> Option<(String, crate::kb::Kind)>;

/// How the command layer reads facts from a paste or a file (input name, text): diagnose's
/// readers, so the wizard parses no device text of its own.
pub type FactReader<'a> = &'a dyn Fn(&str, &str) -> Vec<crate::evidence::fact::Observed>;

/// Everything the session knows: the facts of the files given on the command line and of
/// every paste so far. A question the facts settle is answered for the user, whenever it
/// comes.
pub struct FactBook<'a> {
    facts: Vec<crate::evidence::fact::Observed>,
    read: FactReader<'a>,
}

impl<'a> FactBook<'a> {
    pub fn new(read: FactReader<'a>) -> FactBook<'a> {
        FactBook {
            facts: Vec::new(),
            read,
        }
    }

    /// Read the facts of one input (a file, a paste) into the book.
    pub fn add(&mut self, name: &str, text: &str) {
        for o in (self.read)(name, text) {
            if !self.facts.iter().any(|f| f.fact == o.fact) {
                self.facts.push(o);
            }
        }
    }

    pub fn is_empty(&self) -> bool {
        self.facts.is_empty()
    }

    /// The answer the facts give to `q`, when exactly one answer's `when:` holds, and the
    /// fact that settles it.
    pub fn settles<'q>(
        &self,
        q: &'q crate::kb::schema::Question,
    ) -> Option<(
        &'q crate::kb::schema::Answer,
        &crate::evidence::fact::Observed,
    )> {
        let facts: Vec<&crate::evidence::fact::Observed> = self.facts.iter().collect();
        match crate::engine::answers_held(q, &facts).as_slice() {
            [one] => Some(*one),
            _ => None,
        }
    }

    /// How an answer settled by a fact is shown and kept: the input, line and text.
    pub fn how(o: &crate::evidence::fact::Observed) -> engine::How {
        engine::How::FromEvidence {
            input: o.source.input.clone(),
            line: o.source.line,
            text: o.source.text.clone(),
        }
    }
}
