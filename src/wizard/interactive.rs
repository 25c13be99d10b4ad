//! The interactive wizard: menus, questions, pasted output, "why is this asked?", back,
//! restart and quit, on top of the engine. All terminal I/O goes through [`Prompter`], so
//! the same flow runs on dialoguer ([`super::prompt`]) and on a scripted twin in tests.

use super::engine::{Engine, How, View};
use super::recognise::{Recogniser, Recognition};
use crate::kb::{Kb, Kind, Lang, Node, Platform};
use crate::present::labels as l;
use crate::term::Style;
use anyhow::{Context, Result};
use std::fmt::Write as _;
use std::io;
use std::path::PathBuf;

/// The terminal as the wizard needs it.
pub trait Prompter {
    /// Pick one item; `None` when the user pressed Esc (go back).
    fn select(
        &mut self,
        prompt: &str,
        items: &[String],
        default: usize,
    ) -> io::Result<Option<usize>>;
    /// Multi-line pasted text.
    fn read_paste(&mut self, prompt: &str) -> io::Result<String>;
    /// One line of text.
    fn input(&mut self, prompt: &str, default: &str) -> io::Result<String>;
    fn confirm(&mut self, prompt: &str, default: bool) -> io::Result<bool>;
    /// Show text.
    fn say(&mut self, text: &str) -> io::Result<()>;
}

/// How the wizard ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Exit {
    /// The user reached this root cause and finished.
    Cause(String),
    /// The user quit before the end.
    Quit,
}

/// Options of one interactive run.
#[derive(Debug, Clone)]
pub struct Options {
    pub lang: Lang,
    pub style: Style,
    pub platform: Option<Platform>,
    /// LAN-to-LAN or remote access; asked before the first question unless given or told
    /// by the symptom.
    pub topology: Option<crate::kb::schema::Topology>,
    /// Write the transcript here at the end (otherwise the wizard offers to).
    pub transcript: Option<PathBuf>,
}

/// The symptoms of the start menu, in the order an engineer meets them.
/// The menu's symptoms, in the order the knowledge base lists them.
fn menu_symptoms(kb: &Kb) -> Vec<&str> {
    kb.symptoms().into_iter().map(|s| s.id.as_str()).collect()
}

struct Session<'k, 'p> {
    kb: &'k Kb,
    engine: Engine<'k>,
    prompter: &'p mut dyn Prompter,
    options: Options,
    recogniser: Recogniser,
    lookup: super::Lookup<'p>,
    book: super::FactBook<'p>,
    /// The questions met so far.
    seen: std::collections::HashSet<String>,
}

impl Session<'_, '_> {
    fn t(&self, label: l::Label) -> &'static str {
        label.get(self.options.lang)
    }
}

/// Run the wizard until the user finishes at a cause or quits.
pub fn run<'k, 'p>(
    kb: &'k Kb,
    engine: Engine<'k>,
    prompter: &'p mut dyn Prompter,
    options: Options,
    lookup: super::Lookup<'p>,
    book: super::FactBook<'p>,
) -> Result<Exit> {
    let mut s = Session {
        kb,
        engine,
        prompter,
        options,
        recogniser: Recogniser::new(),
        lookup,
        book,
        seen: std::collections::HashSet::new(),
    };
    loop {
        let step = match s.engine.view() {
            View::Menu => menu(&mut s)?,
            // The evidence answers a question the first time it comes; one the user came
            // back to (Esc) is theirs to answer again.
            View::Question(q) if !s.seen.contains(&q.id) && s.book.settles(q).is_some() => {
                s.seen.insert(q.id.clone());
                // The evidence answers it: say so and go on.
                if let Some((answer, o)) = s.book.settles(q) {
                    let msg = format!(
                        "{}{}:{}: {}\n  → {}",
                        s.t(l::ANSWERED_FOR_YOU),
                        o.source.input,
                        o.source.line,
                        s.options.style.code(o.source.text.trim()),
                        s.options.style.inline(answer.label.get(s.options.lang))
                    );
                    let how = super::FactBook::how(o);
                    let id = answer.id.clone();
                    s.prompter.say(&msg)?;
                    s.engine.answer(&id, how)?;
                }
                None
            }
            View::Question(q) => {
                s.seen.insert(q.id.clone());
                question(&mut s, q)?
            }
            View::ChooseCause { error, causes } => choose_cause(&mut s, &error.id, causes)?,
            View::Done(cause) => done(&mut s, cause)?,
        };
        if let Some(exit) = step {
            return Ok(exit);
        }
    }
}

fn menu(s: &mut Session<'_, '_>) -> Result<Option<Exit>> {
    let lang = s.options.lang;
    let symptoms = menu_symptoms(s.kb);
    let mut items: Vec<String> = symptoms
        .iter()
        .filter_map(|id| s.kb.node(id).map(|n| n.title().get(lang).to_string()))
        .collect();
    items.push(s.t(l::I_HAVE_AN_ERROR_MESSAGE).to_string());
    items.push(s.t(l::QUIT).to_string());
    let prompt = s.t(l::WHAT_DO_YOU_SEE);
    match s.prompter.select(prompt, &items, 0)? {
        Some(i) if i < symptoms.len() => {
            s.engine.choose_symptom(symptoms[i])?;
            Ok(None)
        }
        Some(i) if i == symptoms.len() => {
            from_error(s)?;
            Ok(None)
        }
        _ => Ok(Some(Exit::Quit)),
    }
}

fn from_error(s: &mut Session<'_, '_>) -> Result<()> {
    let prompt = s.t(l::PASTE_THE_ERROR_LINE_S_THEN);
    let text = crate::redact::user_text(&s.prompter.read_paste(prompt)?);
    if text.trim().is_empty() {
        return Ok(());
    }
    let Some((id, kind)) = (s.lookup)(&text) else {
        let msg = s.t(l::NO_KNOWN_IPSEC_ERROR_MATCHES_THAT);
        s.prompter.say(msg)?;
        return Ok(());
    };
    let title =
        s.kb.node(&id)
            .map(|n| n.title().get(s.options.lang).to_string())
            .unwrap_or_default();
    let found = format!("{} {title} ({id})", s.t(l::RECOGNISED));
    s.prompter.say(&found)?;
    if kind == Kind::Error {
        s.engine.start_from_error(
            &id,
            text.lines().find(|l| !l.trim().is_empty()).unwrap_or(""),
        )?;
    } else {
        s.engine = Engine::starting_at(s.kb, &id)?;
    }
    Ok(())
}

/// The navigation items after the answers of a question.
enum Nav {
    Paste,
    Why,
    Back,
    Restart,
    Quit,
}

/// The user's platform, asked unless known: IOS, PIX, ASA, or the last choice (`Any`).
fn ask_platform(s: &mut Session<'_, '_>, prompt: l::Label, last: l::Label) -> Result<()> {
    if s.options.platform.is_some() {
        return Ok(());
    }
    let items: Vec<String> = ["Cisco IOS", "PIX", "ASA", s.t(last)]
        .iter()
        .map(|x| x.to_string())
        .collect();
    s.options.platform = match s.prompter.select(s.t(prompt), &items, 0)? {
        Some(0) => Some(Platform::Ios),
        Some(1) => Some(Platform::Pix),
        Some(2) => Some(Platform::Asa),
        _ => Some(Platform::Any),
    };
    Ok(())
}

/// Before the first question: the device and the kind of VPN, once, so that hints and
/// fixes are those of the user's platform and topology. Nothing is asked that the options
/// or the symptom already tell.
fn ask_context(s: &mut Session<'_, '_>) -> Result<()> {
    use crate::kb::schema::Topology;
    ask_platform(s, l::WHICH_DEVICE, l::NOT_SURE)?;
    if s.options.topology.is_none() {
        s.options.topology = crate::present::wizard::inferred_topology(&s.engine);
    }
    if s.options.topology.is_none() {
        let items: Vec<String> = [l::L2L_CHOICE, l::RA_CHOICE, l::NOT_SURE]
            .iter()
            .map(|x| s.t(*x).to_string())
            .collect();
        s.options.topology = match s.prompter.select(s.t(l::IS_IT_L2L), &items, 0)? {
            Some(0) => Some(Topology::L2l),
            Some(1) => Some(Topology::RemoteAccess),
            _ => Some(Topology::Any),
        };
    }
    Ok(())
}

/// The question's own hints for the user's platform (every platform's when not known).
fn hints_for(
    q: &crate::kb::schema::Question,
    platform: Option<Platform>,
) -> Vec<&crate::kb::schema::Hint> {
    let p = platform.filter(|p| *p != Platform::Any);
    let mine: Vec<_> = q
        .hints
        .iter()
        .filter(|h| p.is_none_or(|p| h.platform == p || h.platform == Platform::Any))
        .collect();
    if mine.is_empty() {
        q.hints.iter().collect()
    } else {
        mine
    }
}

fn question(s: &mut Session<'_, '_>, q: &crate::kb::schema::Question) -> Result<Option<Exit>> {
    if s.engine.questions_asked() == 0 {
        ask_context(s)?;
    }
    // The kind of VPN, asked once, answers the question that asks it again.
    if let Some(answer) = super::topology_answer(q, s.options.topology) {
        s.engine.answer(answer, How::Chosen)?;
        return Ok(None);
    }
    let lang = s.options.lang;
    let mut screen = String::new();
    let _ = writeln!(screen);
    let _ = writeln!(
        screen,
        "{} {}",
        s.options.style.dim(&format!(
            "{} {} ·",
            s.t(l::QUESTION_2),
            s.engine.questions_asked() + 1
        )),
        s.options
            .style
            .heading(&s.options.style.inline(q.title.get(lang)))
    );
    let hints = hints_for(q, s.options.platform);
    if !hints.is_empty() {
        let _ = writeln!(screen, "{}", s.t(l::LOOK_AT));
        for h in hints {
            let label = if h.platform == Platform::Any
                || s.options.platform.is_some_and(|p| p != Platform::Any)
            {
                String::new()
            } else {
                format!("{}: ", h.platform.label())
            };
            let _ = writeln!(
                screen,
                "  {label}{}",
                s.options.style.inline(h.text.get(lang))
            );
        }
    } else if !q.commands.is_empty() {
        let _ = writeln!(screen, "{}", s.t(l::RUN));
        for id in &q.commands {
            if let Some(Node::Command(c)) = s.kb.node(id) {
                let _ = writeln!(
                    screen,
                    "  {}  {}",
                    s.options.style.code(&format!("$ {}", c.command)),
                    s.options
                        .style
                        .dim(&format!("— {}", how_to_read(c, q, lang, s.t(l::LOOK_FOR))))
                );
            }
        }
    }
    s.prompter.say(&screen)?;
    let mut items: Vec<String> = q
        .answers
        .iter()
        .map(|a| s.options.style.inline(a.label.get(lang)))
        .collect();
    let nav = [
        (Nav::Paste, s.t(l::PASTE_PASTE_THE_COMMAND_OUTPUT_AND)),
        (Nav::Why, s.t(l::WHY_IS_THIS_ASKED)),
        (Nav::Back, s.t(l::BACK)),
        (Nav::Restart, s.t(l::RESTART)),
        (Nav::Quit, s.t(l::QUIT_2)),
    ];
    items.extend(nav.iter().map(|(_, label)| label.to_string()));
    let choice = s.prompter.select(s.t(l::YOUR_ANSWER), &items, 0)?;
    let Some(i) = choice else {
        s.engine.back();
        return Ok(None);
    };
    if i < q.answers.len() {
        s.engine.answer(&q.answers[i].id, How::Chosen)?;
        return Ok(None);
    }
    match nav.get(i - q.answers.len()).map(|(n, _)| n) {
        Some(Nav::Paste) => paste(s, q)?,
        Some(Nav::Why) => why(s)?,
        Some(Nav::Back) => {
            s.engine.back();
        }
        Some(Nav::Restart) => s.engine.restart(),
        Some(Nav::Quit) | None => return Ok(Some(Exit::Quit)),
    }
    Ok(None)
}

fn paste(s: &mut Session<'_, '_>, q: &crate::kb::schema::Question) -> Result<()> {
    let lang = s.options.lang;
    let prompt = s.t(l::PASTE_THE_OUTPUT_THEN_A_LINE);
    let output = crate::redact::user_text(&s.prompter.read_paste(prompt)?);
    // Whatever else the paste shows answers later questions too.
    s.book.add("paste", &output);
    let label = |id: &str| {
        q.answers
            .iter()
            .find(|a| a.id == id)
            .map(|a| s.options.style.inline(a.label.get(lang)))
            .unwrap_or_default()
    };
    match s.recogniser.recognise(q, &output) {
        Recognition::One { answer, evidence } => {
            let msg = format!(
                "{} {evidence}\n  → {}",
                s.t(l::RECOGNISED_2),
                label(&answer)
            );
            s.prompter.say(&msg)?;
            s.engine
                .answer(&answer, How::Recognised { evidence, output })?;
        }
        Recognition::Several(fits) => {
            let items: Vec<String> = fits
                .iter()
                .map(|(a, e)| format!("{} — {e}", label(a)))
                .collect();
            let prompt = s.t(l::THE_OUTPUT_FITS_SEVERAL_ANSWERS_WHICH);
            if let Some(i) = s.prompter.select(prompt, &items, 0)? {
                let (answer, evidence) = fits[i].clone();
                s.engine
                    .answer(&answer, How::Recognised { evidence, output })?;
            }
        }
        // Nothing for this question's own readers, but the facts of the paste (an error
        // line, a table row) settle it: the main loop answers it next.
        Recognition::Nothing if s.book.settles(q).is_some() => {}
        Recognition::Nothing => {
            let msg = s.t(l::NOTHING_IN_THAT_OUTPUT_DECIDES_THIS);
            s.prompter.say(msg)?;
        }
    }
    Ok(())
}

fn why(s: &mut Session<'_, '_>) -> Result<()> {
    let lang = s.options.lang;
    let title = |id: &str| {
        s.kb.node(id)
            .map(|n| n.title().get(lang).to_string())
            .unwrap_or_else(|| id.to_string())
    };
    let mut text = String::new();
    if let View::Question(q) = s.engine.view() {
        let _ = writeln!(text, "{}", q.summary.get(lang));
    }
    let possible = s.engine.still_possible();
    let _ = writeln!(text, "\n{} ({})", s.t(l::STILL_POSSIBLE), possible.len());
    for id in &possible {
        let _ = writeln!(text, "  • {}", title(id));
    }
    let _ = writeln!(text, "\n{}", s.t(l::EACH_ANSWER_NARROWS_IT_TO));
    for (answer, causes) in s.engine.narrowing() {
        let names: Vec<String> = causes.iter().map(|c| title(c)).collect();
        let _ = writeln!(text, "  {} → {}", answer.label.get(lang), names.join("; "));
    }
    s.prompter.say(&text)?;
    Ok(())
}

fn choose_cause(s: &mut Session<'_, '_>, error: &str, causes: &[String]) -> Result<Option<Exit>> {
    let lang = s.options.lang;
    let mut items: Vec<String> = causes
        .iter()
        .filter_map(|id| match s.kb.node(id) {
            Some(Node::Cause(c)) => Some(format!(
                "{} — {}",
                c.title.get(lang),
                c.evidence
                    .first()
                    .map(|e| first_sentence(e.get(lang)))
                    .unwrap_or_default()
            )),
            _ => None,
        })
        .collect();
    let n = items.len();
    items.push(s.t(l::BACK).to_string());
    items.push(s.t(l::QUIT_2).to_string());
    let title =
        s.kb.node(error)
            .map(|n| n.title().get(lang).to_string())
            .unwrap_or_default();
    let prompt = format!("{title}: {}", s.t(l::WHICH_OF_THESE_APPLIES));
    match s.prompter.select(&prompt, &items, 0)? {
        Some(i) if i < n => {
            s.engine.choose_cause(&causes[i])?;
            Ok(None)
        }
        Some(i) if i == n + 1 => Ok(Some(Exit::Quit)),
        _ => {
            s.engine.back();
            Ok(None)
        }
    }
}

fn done(s: &mut Session<'_, '_>, cause: &crate::kb::schema::Cause) -> Result<Option<Exit>> {
    // A walk that asked no question (it started at an error) has not asked it yet.
    ask_platform(s, l::SHOW_THE_FIX_FOR_WHICH_PLATFORM, l::ALL_PLATFORMS)?;
    // `Any` here means "every platform" (and every topology).
    let platform = s.options.platform.filter(|p| *p != Platform::Any);
    let topology = s
        .options
        .topology
        .or_else(|| crate::present::wizard::inferred_topology(&s.engine))
        .filter(|t| *t != crate::kb::schema::Topology::Any);
    let screen = crate::present::wizard::end_screen(
        &s.engine,
        cause,
        platform,
        topology,
        s.options.lang,
        s.options.style,
        l::BEHIND_THE_REST,
    );
    s.prompter.say(&format!("\n{}", screen.first))?;
    let save = |s: &mut Session<'_, '_>, path: PathBuf| -> Result<()> {
        let text = crate::present::wizard::transcript(
            &s.engine,
            cause,
            platform,
            topology,
            s.options.lang,
        );
        std::fs::write(&path, text)
            .with_context(|| format!("cannot write the transcript to `{}`", path.display()))?;
        let msg = format!("{} {}", s.t(l::TRANSCRIPT_SAVED_TO), path.display());
        s.prompter.say(&msg)?;
        Ok(())
    };
    let mut saved = false;
    if let Some(p) = s.options.transcript.clone() {
        save(s, p)?;
        saved = true;
    }
    #[derive(Clone, Copy, PartialEq)]
    enum Next {
        Finish,
        ShowAll,
        Save,
        Back,
        Restart,
        KeepChecking,
    }
    let mut shown = false;
    loop {
        let mut menu = vec![(Next::Finish, l::FINISH)];
        if !shown {
            menu.push((Next::ShowAll, l::SHOW_EVERYTHING));
        }
        if !saved {
            menu.push((Next::Save, l::SAVE_TRANSCRIPT));
        }
        menu.push((Next::Back, l::BACK_CHANGE_AN_ANSWER));
        menu.push((Next::Restart, l::RESTART));
        // A checklist item found this cause: the rest of the checklist can still find another.
        if s.engine.keep_checking().is_some() {
            menu.push((Next::KeepChecking, l::KEEP_CHECKING));
        }
        let items: Vec<String> = menu.iter().map(|(_, t)| s.t(*t).to_string()).collect();
        let choice = s.prompter.select(s.t(l::WHAT_NEXT), &items, 0)?;
        match choice.and_then(|i| menu.get(i)).map(|(n, _)| *n) {
            Some(Next::ShowAll) => {
                s.prompter.say(&format!("\n{}", screen.rest))?;
                shown = true;
            }
            Some(Next::Save) => {
                let name = s
                    .prompter
                    .input(s.t(l::FILE_NAME), "ipsec-doctor-transcript.md")?;
                save(s, PathBuf::from(name))?;
                saved = true;
            }
            Some(Next::Back) | None => {
                s.engine.back();
                return Ok(None);
            }
            Some(Next::Restart) => {
                s.engine.restart();
                return Ok(None);
            }
            Some(Next::KeepChecking) => {
                s.engine.continue_checking()?;
                return Ok(None);
            }
            Some(Next::Finish) => {
                return Ok(Some(Exit::Cause(
                    s.engine
                        .found_before()
                        .first()
                        .map_or(cause.id.clone(), |c| c.to_string()),
                )))
            }
        }
    }
}

/// How to read a command's output for this question, in one line: the states, counters or
/// messages of its reading guide that the answers name ("look for `MM_NO_STATE`,
/// `MM_KEY_EXCH`, `QM_IDLE`"), else the guide's first entry.
fn how_to_read(
    c: &crate::kb::schema::Command,
    q: &crate::kb::schema::Question,
    lang: Lang,
    look_for: &str,
) -> String {
    let labels: String = q
        .answers
        .iter()
        .map(|a| format!("{} {} ", a.label.en, a.recognise.join(" ")))
        .collect();
    let named: Vec<String> = c
        .reading
        .iter()
        .map(|r| r.look_for.trim_end_matches(':').trim())
        .filter(|l| l.len() > 2 && labels.contains(*l))
        .map(|l| format!("`{l}`"))
        .collect();
    if !named.is_empty() {
        return format!("{look_for} {}", named.join(", "));
    }
    match c.reading.first() {
        Some(r) => format!("`{}`: {}", r.look_for, first_sentence(r.meaning.get(lang))),
        None => first_sentence(c.summary.get(lang)),
    }
}

/// The first sentence of a text, for one-line summaries.
fn first_sentence(text: &str) -> String {
    let cut = text.char_indices().find_map(|(i, c)| match c {
        '。' => Some(i + c.len_utf8()),
        '\n' => Some(i),
        '.' if text[i + 1..].starts_with(' ') => Some(i + 1),
        _ => None,
    });
    text[..cut.unwrap_or(text.len())].trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kb::KbSource;
    use std::collections::VecDeque;

    /// Replays picks by item text (a substring) and pasted texts; records what was said.
    #[derive(Default)]
    struct Twin {
        picks: VecDeque<String>,
        pastes: VecDeque<String>,
        said: String,
    }

    impl Prompter for Twin {
        fn select(
            &mut self,
            prompt: &str,
            items: &[String],
            _: usize,
        ) -> io::Result<Option<usize>> {
            let pick = self
                .picks
                .pop_front()
                .unwrap_or_else(|| panic!("no pick left for {prompt:?}"));
            if pick == "<esc>" {
                return Ok(None);
            }
            // Menus show inline code styled, without the knowledge base's backticks.
            let pick = pick.replace('`', "");
            let i = items
                .iter()
                .position(|i| i.contains(&pick))
                .unwrap_or_else(|| panic!("{pick:?} not in {items:?}"));
            Ok(Some(i))
        }
        fn read_paste(&mut self, _: &str) -> io::Result<String> {
            Ok(self.pastes.pop_front().unwrap_or_default())
        }
        fn input(&mut self, _: &str, default: &str) -> io::Result<String> {
            Ok(default.to_string())
        }
        fn confirm(&mut self, _: &str, _: bool) -> io::Result<bool> {
            Ok(false)
        }
        fn say(&mut self, text: &str) -> io::Result<()> {
            self.said.push_str(text);
            self.said.push('\n');
            Ok(())
        }
    }

    /// The tests' fact reader: no files, no facts.
    fn no_facts(_: &str, _: &str) -> Vec<crate::evidence::fact::Observed> {
        Vec::new()
    }

    /// The tests' lookup: the knowledge base's signatures, without search's index.
    fn by_signature(kb: &Kb) -> impl Fn(&str) -> Option<(String, Kind)> + '_ {
        |text: &str| {
            text.lines().find_map(|l| {
                kb.signatures()
                    .matches(l)
                    .next()
                    .map(|(id, _)| (id.to_string(), Kind::Error))
            })
        }
    }

    fn options() -> Options {
        Options {
            lang: Lang::En,
            style: Style { color: false },
            platform: None,
            topology: None,
            transcript: None,
        }
    }

    #[test]
    fn menu_paste_why_back_and_finish() {
        let kb = Kb::open(&KbSource::Embedded).unwrap();
        let Some(Node::Question(q)) = kb.node("q-mm-key-exch") else {
            panic!()
        };
        let right = q
            .answers
            .iter()
            .find(|a| a.id == "peer-right")
            .unwrap()
            .label
            .en
            .clone();
        let mut twin = Twin {
            picks: picks(&[
                "The tunnel does not come up",
                "PIX",        // the device, asked once before the first question
                "LAN-to-LAN", // and the kind of VPN
                "[?] Why",
                "[paste]", // answers q-isakmp-sa-state from the PIX output below
                "<esc>",   // Esc: back to that question
                "MM_KEY_EXCH",
                &right,
                "Show everything",
                "Finish",
            ]),
            pastes: ["Total : 2\nEmbryonic : 1\n dst src state pending created\n192.168.254.250 10.177.243.187 MM_KEY_EXCH 0 0\n".to_string()].into(),
            ..Twin::default()
        };
        let exit = run(
            &kb,
            Engine::new(&kb),
            &mut twin,
            options(),
            &by_signature(&kb),
            super::super::FactBook::new(&no_facts),
        )
        .unwrap();
        assert_eq!(exit, Exit::Cause("cause-psk-mismatch".into()));
        assert!(twin.said.contains("Still possible:"), "{}", twin.said);
        assert!(
            twin.said
                .contains("Recognised: `192.168.254.250 10.177.243.187 MM_KEY_EXCH 0 0`"),
            "{}",
            twin.said
        );
        assert!(twin.said.contains("Root cause:"));
        assert!(
            twin.said.contains("isakmp key"),
            "the PIX fix is shown:\n{}",
            twin.said
        );
    }

    fn picks(items: &[&str]) -> VecDeque<String> {
        items.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn error_message_start_and_quit() {
        let kb = Kb::open(&KbSource::Embedded).unwrap();
        let mut twin = Twin {
            picks: picks(&["I have an error message", "Quit"]),
            pastes: [
                "%CDP-4-DUPLEX_MISMATCH: duplex mismatch discovered on FastEthernet0/1".to_string(),
            ]
            .into(),
            ..Twin::default()
        };
        assert_eq!(
            run(
                &kb,
                Engine::new(&kb),
                &mut twin,
                options(),
                &by_signature(&kb),
                super::super::FactBook::new(&no_facts)
            )
            .unwrap(),
            Exit::Quit
        );
        assert!(twin.said.contains("No known IPsec error"), "{}", twin.said);

        let mut twin = Twin {
            picks: picks(&["I have an error message", "ASA", "Finish"]),
            pastes: ["Oct 3 14:22:01 vpn-gw1 123: %CRYPTO-4-RECVD_PKT_INV_SPI: decaps: rec'd IPSEC packet has invalid spi for destaddr=203.0.113.1, prot=50, spi=0x1A2B3C4D(439041101), srcaddr=198.51.100.2".to_string()].into(),
            ..Twin::default()
        };
        assert_eq!(
            run(
                &kb,
                Engine::new(&kb),
                &mut twin,
                options(),
                &by_signature(&kb),
                super::super::FactBook::new(&no_facts)
            )
            .unwrap(),
            Exit::Cause("cause-sa-out-of-sync".into())
        );
    }

    #[test]
    fn chinese_prompts() {
        let kb = Kb::open(&KbSource::Embedded).unwrap();
        let mut twin = Twin {
            picks: picks(&["退出"]),
            ..Twin::default()
        };
        let mut o = options();
        o.lang = Lang::Zh;
        assert_eq!(
            run(
                &kb,
                Engine::new(&kb),
                &mut twin,
                o,
                &by_signature(&kb),
                super::super::FactBook::new(&no_facts)
            )
            .unwrap(),
            Exit::Quit
        );
    }

    #[test]
    fn first_sentences() {
        assert_eq!(
            first_sentence("Shows the SAs. More text."),
            "Shows the SAs."
        );
        assert_eq!(first_sentence("显示 SA。更多内容。"), "显示 SA。");
        assert_eq!(first_sentence("No period"), "No period");
    }
}
