//! `ipsec-doctor wizard`: the scripted twin (`--answers`) on the headline flows, its error
//! messages, transcripts, and the real terminal through a pseudo-terminal.

use crate::util::{all_passed, fixtures, ipsec_doctor};
use expectrl::process::unix::WaitStatus;
use expectrl::session::OsSession;
use expectrl::{Expect, Session};
use std::time::Duration;

fn answers(name: &str) -> String {
    fixtures().join("wizard").join(name).display().to_string()
}

#[test]
fn no_traffic_flow_reaches_the_routes_of_the_tech_note() {
    ipsec_doctor(&[
        "wizard",
        "--answers",
        &answers("no-traffic-missing-route.yaml"),
    ])
    .run()
    .code(0)
    .stdout_has("Root cause:")
    .stdout_has("cause-missing-route")
    .stdout_has("route inside 172.16.0.0 255.255.0.0 10.1.1.2 1")
    .stdout_has("ip route 10.1.2.0 255.255.255.0 10.1.1.1")
    .stdout_has("#pkts encaps 0, #pkts decaps 120")
    // A PIX user's fix still includes the inside router's route back to the pool.
    .stdout_has("Cisco IOS (config)")
    .stdout_lacks("ASA (");
}

#[test]
fn cannot_browse_flow_reaches_split_tunnelling() {
    ipsec_doctor(&[
        "wizard",
        "--answers",
        &answers("cannot-browse-split-tunnel.yaml"),
    ])
    .run()
    .code(0)
    .stdout_has("cause-no-split-tunnel")
    .stdout_has("vpngroup vpn3000 split-tunnel 90")
    .stdout_has("access-list 90 permit ip 10.1.1.0 255.255.255.0 10.1.2.0 255.255.255.0");
}

#[test]
fn some_apps_flow_reaches_the_client_mtu() {
    ipsec_doctor(&["wizard", "--answers", &answers("some-apps-mtu.yaml")])
        .run()
        .code(0)
        .stdout_has("cause-mtu-too-large")
        .stdout_has("1400")
        .stdout_has("576")
        .stdout_has("frag. needed and DF set");
}

#[test]
fn starting_from_an_error_line() {
    ipsec_doctor(&[
        "wizard",
        "--answers",
        &answers("error-invalid-proxy-ids.yaml"),
    ])
    .run()
    .code(0)
    .stdout_has("cause-crypto-acl-host-vs-network")
    .stdout_has("Error message: 21:57:57: IPSEC(initialize_sas): invalid proxy IDs");
    ipsec_doctor(&["wizard", "--answers", &answers("error-several-causes.yaml")])
        .run()
        .code(0)
        .stdout_has("cause-transform-set-mismatch")
        .stdout_has("Chose the cause:");
}

#[test]
fn transcript_redacts_keys() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("incident.md");
    ipsec_doctor(&[
        "wizard",
        "--answers",
        &answers("secrets-in-paste.yaml"),
        "--transcript",
        path.to_str().unwrap(),
    ])
    .run()
    .code(0);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.starts_with("# ipsec-doctor transcript"), "{text}");
    assert!(
        text.contains("crypto isakmp key <redacted> address 10.1.0.2"),
        "{text}"
    );
    assert!(!text.contains("Sup3rS3cret"), "{text}");
    assert!(text.contains("## Root cause: "), "{text}");
    assert!(
        text.contains("crypto isakmp key <key> address <peer-ip>"),
        "the fix is in the transcript"
    );
}

#[test]
fn answers_file_errors_are_clear() {
    ipsec_doctor(&["wizard", "--answers", &answers("missing-answer.yaml")])
        .run()
        .code(2)
        .stderr_has("has no answer for `q-mm-key-exch`")
        .stderr_has("hint: add `q-mm-key-exch: <peer-wrong | peer-right>`");
    ipsec_doctor(&["wizard", "--answers", &answers("unknown-question.yaml")])
        .run()
        .code(2)
        .stderr_has("`q-isakmp-state` is not a question")
        .stderr_has("did you mean `q-isakmp-sa-state`?");
    ipsec_doctor(&["wizard", "--answers", &answers("bad-field.yaml")])
        .run()
        .code(2)
        .stderr_has("bad-field.yaml:2:1: unknown field `platfrom`");
    ipsec_doctor(&["wizard", "--answers", "no-such-file.yaml"])
        .run()
        .code(2)
        .stderr_has("cannot read the answers file `no-such-file.yaml`");
}

#[test]
fn without_a_terminal_it_says_what_to_do() {
    ipsec_doctor(&["wizard"])
        .run()
        .code(2)
        .stderr_has("error: the wizard needs a terminal")
        .stderr_has("--answers FILE");
}

// ---- the real terminal -------------------------------------------------------------

const DOWN: &str = "\x1b[B";
const UP: &str = "\x1b[A";
const ENTER: &str = "\r";

fn pty(args: &[&str]) -> OsSession {
    let dir = std::env::temp_dir();
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_ipsec-doctor"));
    cmd.args(args)
        .current_dir(dir)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("TERM", "xterm-256color")
        .env("NO_COLOR", "1");
    let mut session = Session::spawn(cmd).expect("spawn in a pty");
    session.set_expect_timeout(Some(Duration::from_secs(15)));
    session
}

fn exit_code(session: &mut OsSession) -> i32 {
    match session.get_process().wait().unwrap() {
        WaitStatus::Exited(_, code) => code,
        other => panic!("{other:?}"),
    }
}

#[test]
fn terminal_arrows_answers_and_the_fix() {
    let mut s = pty(&["wizard", "--platform", "pix"]);
    s.expect("What do you see?").unwrap();
    s.send(DOWN).unwrap(); // the tunnel is up but no traffic passes
    s.send(ENTER).unwrap();
    // The kind of VPN is asked once, before the first question (issue 14).
    s.expect("Which kind of VPN is it?").unwrap();
    s.send(DOWN).unwrap(); // remote access
    s.send(ENTER).unwrap();
    // Inline code is styled, not backticked (issue 10).
    s.expect("counters move").unwrap();
    s.send(ENTER).unwrap(); // decaps rise, encaps stay still
    s.expect("Does this gateway have a route to the inside network")
        .unwrap();
    s.send(ENTER).unwrap(); // missing
    s.expect("Root cause:").unwrap();
    s.expect("route inside").unwrap();
    s.expect("What next?").unwrap();
    s.send(DOWN).unwrap(); // show everything
    s.send(ENTER).unwrap();
    s.expect("How you got here").unwrap();
    s.expect("What next?").unwrap();
    s.send(ENTER).unwrap(); // finish
    s.expect(expectrl::Eof).unwrap();
    assert_eq!(exit_code(&mut s), 0);
}

#[test]
fn terminal_paste_then_back_then_quit() {
    let mut s = pty(&[
        "wizard",
        "--start",
        "sym-tunnel-not-established",
        "--platform",
        "ios",
        "--topology",
        "l2l",
    ]);
    s.expect("What state does the ISAKMP SA for this peer show?")
        .unwrap();
    for _ in 0..4 {
        s.send(DOWN).unwrap(); // past the four answers, to [paste]
    }
    s.send(ENTER).unwrap();
    s.expect("Paste the output").unwrap();
    s.send("dst          src          state      conn-id    slot\r")
        .unwrap();
    s.send("10.1.0.2    10.1.0.1    MM_KEY_EXCH    1          0\r")
        .unwrap();
    s.send(".\r").unwrap();
    s.expect("Recognised: `10.1.0.2    10.1.0.1    MM_KEY_EXCH    1          0`")
        .unwrap();
    s.expect("Does the configured peer address match").unwrap();
    s.send("\x1b").unwrap(); // Esc: back
    s.expect("What state does the ISAKMP SA for this peer show?")
        .unwrap();
    s.send(UP).unwrap(); // wraps to the last item: quit
    s.send(ENTER).unwrap();
    s.expect(expectrl::Eof).unwrap();
    assert_eq!(exit_code(&mut s), 1);
}

#[test]
fn terminal_ctrl_c_exits_130_and_shows_the_cursor() {
    let mut s = pty(&["wizard", "--lang", "zh"]);
    s.expect("您遇到了什么问题？").unwrap();
    s.send("\x03").unwrap();
    let rest = s.expect(expectrl::Eof).unwrap();
    let shown = String::from_utf8_lossy(rest.as_bytes()).contains("\x1b[?25h");
    assert_eq!(exit_code(&mut s), 130);
    assert!(
        shown,
        "the cursor is shown again: {:?}",
        String::from_utf8_lossy(rest.as_bytes())
    );
}

/// Incident scenarios: narratives written by one person, answered truthfully by another who
/// never saw the expected cause (22 of 24 right on the first pass; the two misses led to
/// the reuse question coming before the NAT-exemption one, and to an answer for a broader
/// crypto map entry of another tunnel).
#[test]
fn incident_scenarios_end_at_their_cause_within_eight_questions() {
    use ipsec_doctor::kb::{Kb, KbSource};
    use ipsec_doctor::wizard::script;
    let kb = Kb::open(&KbSource::Embedded).unwrap();
    let dir = fixtures().join("wizard/scenarios");
    // A pasted error line is looked up as the command layer does: search's best answer.
    let searcher = ipsec_doctor::search::Searcher::new(&kb).unwrap();
    let lookup = |text: &str| {
        searcher
            .search(text, 3)
            .best()
            .map(|h| (h.id.clone(), h.kind))
    };
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    names.sort();
    let mut failures = Vec::new();
    for path in &names {
        let shown = path.display().to_string();
        let text = std::fs::read_to_string(path).unwrap();
        let Some(expected) = text.lines().find_map(|l| l.strip_prefix("# expect: ")) else {
            failures.push(format!("{shown}: no `# expect: CAUSE` line"));
            continue;
        };
        let expected = expected.trim();
        let outcome = script::AnswersFile::parse(&shown, &text)
            .map_err(|e| e.to_string())
            .and_then(|file| {
                let no_facts = |_: &str, _: &str| Vec::new();
                let mut book = ipsec_doctor::wizard::FactBook::new(&no_facts);
                script::run(&kb, &file, &shown, &lookup, &mut book).map_err(|e| e.to_string())
            });
        // On a checklist the wizard goes on past a cause when the file answers the next
        // item; the cause found first is the scenario's.
        let first = |engine: &ipsec_doctor::wizard::engine::Engine<'_>, last: &str| {
            engine
                .found_before()
                .first()
                .map_or(last.to_string(), |c| c.to_string())
        };
        match outcome {
            Err(e) => failures.push(format!("{shown}: {e}")),
            Ok((engine, cause)) if first(&engine, &cause.id) != expected => failures.push(format!(
                "{shown}: ended at {}, expected {expected}",
                first(&engine, &cause.id)
            )),
            Ok((engine, _)) if engine.questions_asked() > 8 => failures.push(format!(
                "{shown}: {} questions, more than eight",
                engine.questions_asked()
            )),
            Ok(_) => {}
        }
    }
    all_passed("incident scenarios", names.len(), &failures);
}

/// Issue 11: a mixed show/debug paste at the first question answers every question it
/// settles, not only the one on screen; the wizard asks only what remains (here: nothing).
#[test]
fn terminal_one_paste_answers_every_question_it_settles() {
    let mut s = pty(&[
        "wizard",
        "--start",
        "sym-tunnel-not-established",
        "--platform",
        "ios",
        "--topology",
        "l2l",
    ]);
    s.expect("What state does the ISAKMP SA for this peer show?")
        .unwrap();
    for _ in 0..4 {
        s.send(DOWN).unwrap(); // to [paste]
    }
    s.send(ENTER).unwrap();
    s.expect("Paste the output").unwrap();
    s.send("dst          src          state      conn-id    slot\r")
        .unwrap();
    s.send("10.1.0.2    10.1.0.1    MM_KEY_EXCH    1          0\r")
        .unwrap();
    s.send(
        "1d00h: ISAKMP: No cert, and no keys (public or pre-shared) with remote peer 10.1.0.2\r",
    )
    .unwrap();
    s.send(".\r").unwrap();
    s.expect("Recognised: `10.1.0.2    10.1.0.1    MM_KEY_EXCH    1          0`")
        .unwrap();
    // The second question is answered from the same paste, with its line.
    s.expect("Answered from your evidence, paste:3").unwrap();
    s.expect("Root cause:").unwrap();
    s.expect("The configured peer address is wrong").unwrap();
    s.expect("What next?").unwrap();
    s.send(ENTER).unwrap();
    s.expect(expectrl::Eof).unwrap();
    assert_eq!(exit_code(&mut s), 0);
}

/// Issue 11: `wizard FILE…` reads the files first; every question they settle is answered
/// for the user with the line that settles it, and the answers file needs no answer for it.
#[test]
fn files_given_to_the_wizard_answer_its_questions() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("router.log");
    std::fs::write(
        &log,
        "router#show crypto isakmp sa\n\
         dst             src             state          conn-id slot status\n\
         198.51.100.2    203.0.113.1     MM_KEY_EXCH          1    0 ACTIVE\n\
         *Mar  1 00:12:34.567: %CRYPTO-4-IKMP_BAD_MESSAGE: IKE message from 198.51.100.2 failed its sanity check or is malformed\n",
    )
    .unwrap();
    let answers = dir.path().join("answers.yaml");
    std::fs::write(&answers, "start: sym-tunnel-not-established\n").unwrap();
    let log = log.display().to_string();
    let answers = answers.display().to_string();
    let out = ipsec_doctor(&["wizard", &log, "--answers", &answers])
        .run()
        .code(0)
        .stdout_has("Root cause: The pre-shared keys differ");
    assert!(
        out.stdout.contains("router.log:3") && out.stdout.contains("router.log:4"),
        "{}",
        out.stdout
    );
}

/// The ACL checklist: one ACL reused for NAT exemption and the crypto map, *and* crypto ACLs
/// that overlap. The walk does not stop at the first "yes": the file answers the next items,
/// so the wizard goes on and the end screen names both causes.
#[test]
fn a_checklist_goes_on_past_the_first_cause() {
    ipsec_doctor(&[
        "wizard",
        "--answers",
        &answers("checklist-acl-reused-and-overlap.yaml"),
    ])
    .run()
    .code(0)
    .stdout_has("Root cause: The crypto ACLs of several tunnels overlap")
    .stdout_has("Also found on this path:")
    .stdout_has("(cause-acl-reused)")
    .stdout_has("Kept checking past One ACL is used both")
    .stdout_lacks("Still possible on this path");
}

/// Stopped at the first checklist cause, the end screen names what is still possible behind
/// it and the question (with its commands) that rules it out.
#[test]
fn a_checklist_cause_names_what_is_still_possible_behind_it() {
    ipsec_doctor(&[
        "wizard",
        "--answers",
        &answers("checklist-acl-reused-only.yaml"),
    ])
    .run()
    .code(0)
    .stdout_has("Root cause: One ACL is used both")
    .stdout_has("Still possible on this path")
    .stdout_has("(cause-acl-overlap)")
    .stdout_has("(cause-nat-exemption-missing)")
    .stdout_has("To rule them out, answer:")
    .stdout_has("Is the VPN traffic exempted from NAT")
    .stdout_has("show access-list");
}

/// Both peers' configs given to the wizard settle the ACL checklist for the user: only the
/// counters question is answered by the file; the NAT exemption missing on the PIX is found
/// from the configs, citing the line.
#[test]
fn configs_given_to_the_wizard_settle_its_questions() {
    let dir = fixtures().join("configs/broken-pix63-ios-nat-exemption-missing");
    ipsec_doctor(&[
        "wizard",
        "--answers",
        &answers("configs-settle-the-acl-checks.yaml"),
        &dir.join("pix-clinic.cfg").display().to_string(),
        &dir.join("r-hosp.cfg").display().to_string(),
    ])
    .run()
    .code(0)
    .stdout_has("Root cause: VPN traffic is not exempted from NAT")
    .stdout_has("answered from your evidence")
    .stdout_has("pix-clinic.cfg:41")
    .stdout_lacks("Kept checking");
}

/// The text a terminal shows from `raw` pty output: escape sequences dropped, carriage
/// returns as line starts.
fn screen_text(raw: &[u8]) -> String {
    let text = String::from_utf8_lossy(raw);
    let mut out = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\x1b' => {
                // CSI: ESC [ parameters final-byte
                if chars.peek() == Some(&'[') {
                    chars.next();
                    for d in chars.by_ref() {
                        if ('@'..='~').contains(&d) {
                            break;
                        }
                    }
                } else {
                    chars.next();
                }
            }
            '\r' => {}
            _ => out.push(c),
        }
    }
    out
}

/// Issue 14: on an 80×24 terminal, for every symptom, the end screen's first 20 lines hold
/// the root cause and the first fix with its configuration lines (the rest is behind
/// "Show everything"). Each walk takes the first answer of every question.
#[test]
fn every_symptom_ends_with_the_cause_and_the_fix_on_the_first_screen() {
    use ipsec_doctor::kb::{Kb, KbSource};
    let kb = Kb::open(&KbSource::Embedded).unwrap();
    let mut failures = Vec::new();
    for symptom in kb.symptoms() {
        let mut s = pty(&[
            "wizard",
            "--start",
            &symptom.id,
            "--platform",
            "ios",
            "--topology",
            if symptom.topology == ipsec_doctor::kb::schema::Topology::RemoteAccess {
                "remote-access"
            } else {
                "l2l"
            },
        ]);
        s.get_process_mut().set_window_size(80, 24).unwrap();
        let mut ended = None;
        for _ in 0..12 {
            let seen = s
                .expect(expectrl::Regex("Your answer|What next\\?"))
                .unwrap();
            let text = screen_text(seen.as_bytes());
            let whole = screen_text(seen.before()) + &text;
            if text.contains("What next?") {
                ended = Some(whole);
                break;
            }
            s.send(ENTER).unwrap(); // the first answer
        }
        let Some(shown) = ended else {
            failures.push(format!("{}: no root cause after 12 questions", symptom.id));
            continue;
        };
        let Some(at) = shown.find("Root cause:") else {
            failures.push(format!("{}: no `Root cause:` line", symptom.id));
            continue;
        };
        // The first 20 rows of the terminal: a configuration line is never wrapped by the
        // tool (it is typed as it stands), so a longer one takes the rows it fills.
        let mut rows = 0;
        let first: Vec<&str> = shown[at..]
            .lines()
            .take_while(|l| {
                rows += unicode_width(l).max(1).div_ceil(80);
                rows <= 20
            })
            .collect();
        let fix = first.iter().position(|l| {
            l.starts_with("Fix:") || l.starts_with("Prevention:") || l.starts_with("Workaround")
        });
        let config = fix.is_some_and(|i| first[i..].iter().any(|l| l.starts_with("    ")));
        if fix.is_none() || !config {
            failures.push(format!(
                "{}: the first 20 lines lack the fix and its lines:\n{}",
                symptom.id,
                first.join("\n")
            ));
        }
        if first
            .iter()
            .any(|l| unicode_width(l) > 80 && !l.starts_with("    ") && !l.starts_with(": "))
        {
            let wide: Vec<&&str> = first
                .iter()
                .filter(|l| unicode_width(l) > 80 && !l.starts_with("    "))
                // The terminal's echo of the last answer (`Your answer: …`), which the
                // terminal wraps itself, is not the end screen.
                .filter(|l| !l.starts_with(": "))
                .collect();
            failures.push(format!("{}: wider than 80 columns: {wide:?}", symptom.id));
        }
        s.send(ENTER).unwrap(); // finish
        s.expect(expectrl::Eof).unwrap();
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// Display columns: Chinese characters and full-width forms take two.
fn unicode_width(line: &str) -> usize {
    line.chars()
        .map(|c| {
            let wide = matches!(c, '\u{2e80}'..='\u{303e}' | '\u{3040}'..='\u{9fff}' | '\u{f900}'..='\u{faff}' | '\u{fe30}'..='\u{fe4f}' | '\u{ff00}'..='\u{ff60}' | '\u{ffe0}'..='\u{ffe6}');
            if wide { 2 } else { 1 }
        })
        .sum()
}

/// The end screen of the wizard started at `cause`, from an answers file on standard input.
fn end_at(cause: &str, platform: &str, topology: Option<&str>) -> String {
    let mut file = format!("start: {cause}\nplatform: {platform}\n");
    if let Some(t) = topology {
        file.push_str(&format!("topology: {t}\n"));
    }
    ipsec_doctor(&["wizard", "--answers", "-"])
        .stdin(&file)
        .run()
        .code(0)
        .stdout
}

/// The IDs of the fixes the end screen shows, in order (from their `(fix-…)` marks).
fn fixes_shown(screen: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for part in screen.split("(fix-").skip(1) {
        let id = format!("fix-{}", part.split(')').next().unwrap_or(""));
        if !out.contains(&id) {
            out.push(id);
        }
    }
    out
}

/// Issue 14: `--platform` orders that platform's fix first and hides, in remote access, the
/// fixes of another platform; LAN-to-LAN offers the peer's platform too.
#[test]
fn the_platform_orders_the_fixes_and_the_topology_filters_them() {
    // Remote access, split tunnelling: a PIX/ASA fix and an IOS Easy VPN fix.
    let ios = end_at("cause-no-split-tunnel", "ios", None);
    assert_eq!(fixes_shown(&ios), ["fix-split-tunnel-router"], "{ios}");
    let pix = end_at("cause-no-split-tunnel", "pix", None);
    assert_eq!(fixes_shown(&pix), ["fix-split-tunnel-pix"], "{pix}");
    assert!(pix.contains("Fix: ") && pix.contains("(PIX)"), "{pix}");
    let asa = end_at("cause-no-split-tunnel", "asa", None);
    assert_eq!(fixes_shown(&asa), ["fix-split-tunnel-pix"], "{asa}");
    let first_asa = asa.find("ASA").unwrap();
    assert!(
        !asa[..first_asa].contains("PIX (") && !asa.contains("Cisco IOS ("),
        "an ASA user sees the ASA lines, and no IOS block: {asa}"
    );

    // A fix of another topology is left out: the route back to the VPN Client pool is a
    // matter of remote access only.
    let l2l = end_at("cause-missing-route", "pix", Some("l2l"));
    assert_eq!(fixes_shown(&l2l), ["fix-route-to-inside"], "{l2l}");
    let ra = end_at("cause-missing-route", "ios", Some("remote-access"));
    assert_eq!(fixes_shown(&ra)[0], "fix-route-back-to-pool", "{ra}");

    // LAN-to-LAN: the user's platform first, then the peer's lines (an ASA facing an IOS
    // router whose key is the wrong one).
    let mixed = end_at("cause-psk-mismatch", "asa", Some("l2l"));
    let (asa_at, ios_at) = (
        mixed.find("ASA (").unwrap(),
        mixed.find("Cisco IOS (").unwrap(),
    );
    assert!(
        asa_at < ios_at,
        "the ASA's lines first, the IOS peer's next: {mixed}"
    );
    let alone = end_at("cause-psk-mismatch", "asa", Some("remote-access"));
    assert!(!alone.contains("Cisco IOS ("), "{alone}");

    // Fixes that remove the cause before prevention and workarounds; weakening ones
    // labelled and last.
    let reorder = end_at("cause-packet-reordering", "ios", Some("l2l"));
    let shown = fixes_shown(&reorder);
    assert_eq!(shown[0], "fix-disable-qos-for-ipsec", "{reorder}");
    assert!(
        shown
            .last()
            .is_some_and(|f| f == "fix-disable-hmac-antireplay"),
        "{shown:?}"
    );
    assert!(
        reorder.contains("Workaround, weakens security:"),
        "{reorder}"
    );
    let sync = fixes_shown(&end_at("cause-sa-out-of-sync", "ios", Some("l2l")));
    assert_eq!(sync[0], "fix-resync-sas");
    assert!(
        sync.contains(&"fix-invalid-spi-recovery".to_string()),
        "{sync:?}"
    );
}
