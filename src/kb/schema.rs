//! The knowledge-base schema: what a YAML file under `kb/` may contain.
//!
//! Every struct denies unknown fields so a typo in a knowledge file is an error with a
//! location, not silently ignored data. The node kind is given by the list a node sits in
//! (`errors:`, `causes:`, …) rather than by an internally tagged `kind:` field, because
//! serde loses line/column information inside internally tagged enums and every schema
//! error must point at `file:line:col`. Every type says what it expects in words
//! (`#[serde(expecting)]`), so no Rust type name reaches a message.

use serde::{Deserialize, Serialize};
use std::fmt;

/// What a schema error says where a [`Text`] was expected (the loader's hint spots it).
pub const TEXT_EXPECTING: &str = "a text in both languages";

/// A user-facing text in both languages the tool speaks. Both are required.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, expecting = "a text in both languages")]
pub struct Text {
    pub en: String,
    pub zh: String,
}

impl Text {
    /// The text in `lang`.
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => &self.en,
            Lang::Zh => &self.zh,
        }
    }
}

/// A display language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase", expecting = "a language: `en` or `zh`")]
pub enum Lang {
    En,
    Zh,
}

/// A device family a command, sample or config line belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(
    rename_all = "kebab-case",
    expecting = "a platform: `ios`, `pix`, `asa`, `vpn-client` or `any`"
)]
pub enum Platform {
    /// Cisco IOS routers.
    Ios,
    /// PIX firewalls (6.x syntax).
    Pix,
    /// ASA firewalls.
    Asa,
    /// The Cisco VPN Client software on the user's PC.
    VpnClient,
    /// Applies whatever the platform.
    Any,
}

impl Platform {
    fn any() -> Platform {
        Platform::Any
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Platform::Ios => "ios",
            Platform::Pix => "pix",
            Platform::Asa => "asa",
            Platform::VpnClient => "vpn-client",
            Platform::Any => "any",
        }
    }

    /// A human label, e.g. for headings.
    pub fn label(self) -> &'static str {
        match self {
            Platform::Ios => "Cisco IOS",
            Platform::Pix => "PIX",
            Platform::Asa => "ASA",
            Platform::VpnClient => "Cisco VPN Client",
            Platform::Any => "All platforms",
        }
    }
}

impl fmt::Display for Platform {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One YAML file of the knowledge base. Every list is optional, so authors can group nodes
/// by topic (one file per seed chapter) or by kind, as they prefer.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "a mapping of node lists (`sections`, `symptoms`, `questions`, `commands`, `errors`, `causes`, `fixes`, `informational`)"
)]
pub struct KbFile {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sections: Vec<Section>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub symptoms: Vec<Symptom>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub questions: Vec<Question>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub commands: Vec<Command>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<ErrorMsg>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub causes: Vec<Cause>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fixes: Vec<Fix>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub informational: Vec<Informational>,
}

/// A message a healthy VPN prints (`ISAKMP is ON`, `PHASE 1 COMPLETED`, `IKEv2 SA UP`):
/// known, so that search says what it means and nothing reports it as a problem. Not a
/// node of the decision graph: it leads nowhere.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "an informational message: a mapping with `id`, `title`, `summary`, `references`, `signatures` and `examples`"
)]
pub struct Informational {
    pub id: String,
    pub title: Text,
    pub summary: Text,
    pub references: Vec<Reference>,
    pub signatures: Vec<String>,
    pub examples: Vec<Example>,
}

/// A section of the seed document. Nodes cite sections in `source`; validation checks that
/// every section with content is cited, which keeps the coverage table honest.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "a section: a mapping with `id`, `heading` and `title`"
)]
pub struct Section {
    pub id: String,
    /// The heading exactly as the seed prints it.
    pub heading: String,
    pub title: Text,
    /// The enclosing section, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    /// Set for sections with no troubleshooting content (conventions, links); such a
    /// section needs no node and must say why in `reason`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not_encoded: Option<Text>,
}

/// What the user sees; an entry point of the wizard.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "a symptom: a mapping with `id`, `title`, `summary`, `source` and `next`"
)]
pub struct Symptom {
    pub id: String,
    pub title: Text,
    pub summary: Text,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub details: Option<Text>,
    pub source: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub platforms: Vec<Platform>,
    /// The kind of VPN the symptom is seen in, when only one: VPN users who cannot browse
    /// are remote access. The wizard then does not ask.
    #[serde(default, skip_serializing_if = "Topology::is_any")]
    pub topology: Topology,
    /// The first question to ask (or a cause, when the symptom alone decides it).
    pub next: String,
    /// Facts that show this symptom in a log or paste: where diagnose starts walking.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub triggered_by: Vec<Condition>,
}

/// Something to find out, with the commands that answer it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "a question: a mapping with `id`, `title`, `summary`, `source` and `answers`"
)]
pub struct Question {
    pub id: String,
    /// The question itself.
    pub title: Text,
    /// Why it is asked: what the answers tell apart.
    pub summary: Text,
    pub source: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub commands: Vec<String>,
    /// What to look at to answer: the lines of configuration or output, per platform (an
    /// `any` hint applies to every platform). Every question has at least one.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub hints: Vec<Hint>,
    pub answers: Vec<Answer>,
    /// One item of a checklist (the tech note's ACL checklist, routes, sysopt): the answer
    /// that finds a cause does not rule out what the other answer leads to, since both can
    /// be wrong at once. The engine walks on past the cause, and the wizard offers to.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub checklist: bool,
}

/// What to look at to answer a question, on one platform.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "a hint: a mapping with `platform` and `text`"
)]
pub struct Hint {
    #[serde(default = "Platform::any")]
    pub platform: Platform,
    pub text: Text,
}

/// One answer to a question, and where it leads.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "an answer: a mapping with `id`, `label` and `next`"
)]
pub struct Answer {
    /// Unique within its question; used by scripted answer files.
    pub id: String,
    pub label: Text,
    /// A question, cause or symptom.
    pub next: String,
    /// Regular expressions that recognise this answer in pasted command output.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub recognise: Vec<String>,
    /// A built-in reader of pasted output that recognises this answer where a pattern
    /// cannot (counters that must be compared).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detect: Option<Detector>,
    /// The facts that settle this answer without asking: any one of them (see
    /// [`Condition`]). The engine answers the question for the user when exactly one
    /// answer's conditions hold.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub when: Vec<Condition>,
}

/// A condition over the facts the evidence readers establish (`src/evidence/fact.rs`):
/// `fact` names the kind, the other fields narrow it; a list means any of its values.
///
/// ```yaml
/// - { fact: error, id: [err-no-cert-no-keys] }
/// - { fact: isakmp-sa, state: [MM_KEY_EXCH, MM_WAIT_MSG4] }
/// - { fact: ipsec-sa, traffic: [encaps-only] }
/// - { fact: negotiation, phase: 1, outcome: failed }
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "a condition: a mapping with `fact` (error, isakmp-sa, ipsec-sa, negotiation, ikev2, ping, route or config) and what it must show"
)]
pub struct Condition {
    pub fact: String,
    /// `error`: the error IDs.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub id: Vec<String>,
    /// `isakmp-sa`: the phase-1 states.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub state: Vec<String>,
    /// `ipsec-sa`: what the counters say (`none`, `encaps-only`, `decaps-only`, `both`,
    /// `errors`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub traffic: Vec<String>,
    /// `ipsec-sa`: a detail drop counter that rose (`replay-failed`, `verify-failed`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub dropped: Vec<String>,
    /// `config`: the checks (`acl-reused`, `psk`, …; `evidence::config::checks::CHECKS`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub check: Vec<String>,
    /// `negotiation`: 1 or 2.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phase: Option<u8>,
    /// `negotiation`: `failed` or `succeeded`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcome: Option<String>,
    /// `ikev2`: the exchanges (`IKE_SA_INIT`, `IKE_AUTH`, `CREATE_CHILD_SA`, `INFORMATIONAL`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exchange: Vec<String>,
    /// `ikev2`: the error notifies (`NO_PROPOSAL_CHOSEN`, `TS_UNACCEPTABLE`, …).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notify: Vec<String>,
}

/// Built-in readers of pasted output, named in YAML by the command they read and what they
/// recognise (`ipsec-sa-encaps-only`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(expecting = "a built-in reader name such as `ipsec-sa-both`")]
pub enum Detector {
    /// `show crypto ipsec sa`: encaps rise, decaps do not.
    #[serde(rename = "ipsec-sa-encaps-only")]
    EncapsOnly,
    /// `show crypto ipsec sa`: decaps rise, encaps do not.
    #[serde(rename = "ipsec-sa-decaps-only")]
    DecapsOnly,
    /// `show crypto ipsec sa`: neither moves.
    #[serde(rename = "ipsec-sa-no-traffic")]
    NoTraffic,
    /// `show crypto ipsec sa`: both move.
    #[serde(rename = "ipsec-sa-both")]
    BothDirections,
    /// `show crypto ipsec sa`: send or receive errors rise.
    #[serde(rename = "ipsec-sa-errors")]
    PacketErrors,
    /// `show crypto ipsec sa`: decaps rise (whatever encaps do).
    #[serde(rename = "ipsec-sa-decaps-rising")]
    DecapsRising,
    /// `show crypto ipsec sa`: decaps do not move.
    #[serde(rename = "ipsec-sa-decaps-still")]
    DecapsStill,
}

/// A show, debug or ping command.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "a command: a mapping with `id`, `title`, `summary`, `source`, `command`, `platforms` and `reading`"
)]
pub struct Command {
    pub id: String,
    pub title: Text,
    /// What the command is for.
    pub summary: Text,
    pub source: Vec<String>,
    /// Public sources beyond the seed (Cisco syslog guides, command references, tech
    /// notes) for what the seed does not cover: a node cites seed sections, references,
    /// or both.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub references: Vec<Reference>,
    /// The command line as typed on the device (never translated).
    pub command: String,
    /// Other ways the same command is typed: another platform's spelling (`show crypto
    /// ikev1 sa` on ASA 9), or its longer forms (`… detail`). Search answers a query that
    /// names any of them with this command.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    pub platforms: Vec<Platform>,
    /// Sample output taken from the seed. Empty when the seed shows none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub samples: Vec<Sample>,
    /// How to read the output: which states, counters and lines mean what.
    pub reading: Vec<Reading>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "a sample: a mapping with `platform` and `output`"
)]
pub struct Sample {
    pub platform: Platform,
    pub output: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<Text>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "a reading: a mapping with `look_for` and `meaning`"
)]
pub struct Reading {
    /// The literal text to look for in the output (a state, a counter name, a line).
    pub look_for: String,
    pub meaning: Text,
}

/// A log or debug message.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "an error: a mapping with `id`, `title`, `summary`, `source`, `platforms`, `signatures`, `examples` and `causes`"
)]
pub struct ErrorMsg {
    pub id: String,
    pub title: Text,
    /// What the message means.
    pub summary: Text,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub details: Option<Text>,
    pub source: Vec<String>,
    /// Public sources beyond the seed (Cisco syslog guides, command references, tech
    /// notes) for what the seed does not cover: a node cites seed sections, references,
    /// or both.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub references: Vec<Reference>,
    pub platforms: Vec<Platform>,
    /// Regular expressions that recognise the message in one log line, whatever the syslog
    /// prefix, addresses or numbers around it.
    pub signatures: Vec<String>,
    /// The message as devices print it; every example is matched by some signature and
    /// every signature matches some example.
    pub examples: Vec<Example>,
    pub causes: Vec<String>,
    /// When the message appears though nothing is wrong (a refused first offer in a
    /// negotiation that then agrees): the Sigma rules' `falsepositives`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub false_positives: Vec<Text>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "an example: a mapping with `text` and `origin`"
)]
pub struct Example {
    pub text: String,
    /// Where this form comes from: `seed`, or the Cisco document that prints it.
    pub origin: String,
}

/// A root cause.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "a cause: a mapping with `id`, `title`, `summary`, `source`, `evidence` and `fixes`"
)]
pub struct Cause {
    pub id: String,
    pub title: Text,
    /// The explanation.
    pub summary: Text,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub details: Option<Text>,
    pub source: Vec<String>,
    /// Public sources beyond the seed (Cisco syslog guides, command references, tech
    /// notes) for what the seed does not cover: a node cites seed sections, references,
    /// or both.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub references: Vec<Reference>,
    /// What confirms this cause.
    pub evidence: Vec<Text>,
    /// Commands whose output confirms it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub confirm_with: Vec<String>,
    pub fixes: Vec<String>,
    /// Facts that prove the cause on their own, whatever the path to it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub confirmed_by: Vec<Condition>,
    /// Facts that rule it out.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ruled_out_by: Vec<Condition>,
}

/// A configuration change that removes a cause.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "a fix: a mapping with `id`, `title`, `summary`, `source` and `actions`"
)]
pub struct Fix {
    pub id: String,
    pub title: Text,
    pub summary: Text,
    pub source: Vec<String>,
    /// Public sources beyond the seed (Cisco syslog guides, command references, tech
    /// notes) for what the seed does not cover: a node cites seed sections, references,
    /// or both.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub references: Vec<Reference>,
    /// What to do, per platform.
    pub actions: Vec<Action>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<Text>,
    /// Commands that show the fix worked.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub verify: Vec<String>,
    /// What the fix does to its cause: removes it (the default), keeps it from coming back,
    /// or works around it. Causes show their fixes in that order.
    #[serde(default, skip_serializing_if = "FixKind::is_remedy")]
    pub kind: FixKind,
    /// The fix lowers protection (an encryption-only transform set, anti-replay off): it is
    /// labelled so and shown last.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub weakens_security: bool,
    /// The kind of VPN the fix belongs to (`any` by default).
    #[serde(default, skip_serializing_if = "Topology::is_any")]
    pub topology: Topology,
    /// The lines are for a router inside the network (a route back to the client pool),
    /// not for the gateway: shown whatever the gateway's platform.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub inside: bool,
}

/// What a fix does to its cause.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(
    rename_all = "kebab-case",
    expecting = "a fix kind: `remedy`, `prevention` or `workaround`"
)]
pub enum FixKind {
    /// Removes the cause.
    #[default]
    Remedy,
    /// Keeps the cause from coming back.
    Prevention,
    /// Lives with the cause.
    Workaround,
}

impl FixKind {
    fn is_remedy(&self) -> bool {
        *self == FixKind::Remedy
    }
}

/// The kind of VPN: gateways joining two networks, or clients dialling in.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(
    rename_all = "kebab-case",
    expecting = "a topology: `l2l`, `remote-access` or `any`"
)]
pub enum Topology {
    /// LAN-to-LAN (site-to-site) between two gateways.
    L2l,
    /// Remote access: VPN clients (Cisco VPN Client, Easy VPN) dialling in to a gateway.
    RemoteAccess,
    #[default]
    Any,
}

impl Topology {
    fn is_any(&self) -> bool {
        *self == Topology::Any
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Topology::L2l => "l2l",
            Topology::RemoteAccess => "remote-access",
            Topology::Any => "any",
        }
    }

    /// Whether something of topology `self` belongs in a VPN of topology `vpn`.
    pub fn fits(self, vpn: Option<Topology>) -> bool {
        match (self, vpn) {
            (Topology::Any, _) | (_, None) | (_, Some(Topology::Any)) => true,
            (a, Some(b)) => a == b,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "an action: a mapping with `platform` and `config` or `note`"
)]
pub struct Action {
    pub platform: Platform,
    /// The configuration mode the lines are typed in, e.g. `config`, `config-if`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mode: Option<String>,
    /// Configuration lines, never translated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub config: Option<String>,
    /// The lines that undo `config`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rollback: Option<String>,
    /// Steps that are not configuration lines (GUI steps, hardware, planning).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<Text>,
}

/// A public source: its title as published, and where to read it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "a reference: a mapping with `title` and, optionally, `url`"
)]
pub struct Reference {
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}
