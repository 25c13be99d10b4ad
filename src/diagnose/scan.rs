//! Streaming line scanner: finds, at grep speed and in constant memory, the lines of an
//! input that match any of a set of patterns, and says which patterns each matched.
//!
//! The patterns are searched together as one alternation over whole buffers, as grep
//! tools do, so the regex engine can use a literal prefilter and ordinary log lines cost
//! almost nothing; only the rare matching line is split out and classified by a
//! `RegexSet`. Unicode is off: log lines are ASCII, and Unicode word boundaries would make
//! the fast engines give up.

use regex_automata::meta::{self, BuildError, Regex};
use regex_automata::util::syntax;
use regex_automata::{Input, MatchKind, PatternSet};
use std::collections::BTreeMap;
use std::io::{self, Read};
use std::sync::{mpsc, Mutex};

/// How much is read at a time; memory use is a small multiple of this, whatever the input.
const CHUNK: usize = 256 << 10;

pub struct Scanner {
    /// Every pattern, as one alternation: finds the lines that match any.
    any: Regex,
    /// Every class and pattern, each on its own: says which ones a found line matches. The
    /// classes come first: most lines that match any match one, and a line's matches are
    /// listed up to the last.
    set: Regex,
    /// How many classes there are (the set's first patterns).
    classes: usize,
    /// How many patterns there are.
    patterns: usize,
}

/// What a caller does with a matching line (its text and patterns) where it is found, on
/// any thread and in any order: see [`Scanner::scan_inputs`].
pub type Prepare<'a, T> = dyn Fn(&[u8], &[usize]) -> T + Sync + 'a;

/// One matching line.
pub struct Hit<'a> {
    /// 1-based line number.
    pub number: u64,
    /// The line, without its line ending.
    pub text: &'a [u8],
    /// Indices of the patterns that match it: its classes first (see
    /// [`Scanner::with_classes`]), then its patterns in order.
    pub patterns: &'a [usize],
}

/// What one thread needs to search: the regexes' scratch space, its own so that threads
/// never wait for each other.
struct Caches {
    any: meta::Cache,
    set: meta::Cache,
    matched: PatternSet,
}

impl Scanner {
    pub fn new(patterns: &[String]) -> Result<Scanner, Box<BuildError>> {
        Scanner::with_classes(patterns, &[])
    }

    /// A scanner for the lines that match any of `patterns`, which also says which of
    /// `classes` each such line matches: as pattern `patterns.len() + i` for class `i`. A
    /// line that matches only classes is no hit.
    pub fn with_classes(
        patterns: &[String],
        classes: &[String],
    ) -> Result<Scanner, Box<BuildError>> {
        let alternation = patterns
            .iter()
            .map(|p| format!("(?:{p})"))
            .collect::<Vec<_>>()
            .join("|");
        // Bytes, not text, and no Unicode classes: as `grep` reads a log.
        let builder = |kind: MatchKind| {
            let mut b = meta::Builder::new();
            b.configure(
                meta::Config::new()
                    .match_kind(kind)
                    .utf8_empty(false)
                    .nfa_size_limit(Some(64 << 20))
                    .hybrid_cache_capacity(16 << 20),
            )
            .syntax(syntax::Config::new().unicode(false).utf8(false));
            b
        };
        // The two are compiled at once, on two threads: startup counts on a small input.
        let all: Vec<&String> = classes.iter().chain(patterns).collect();
        let (any, set) = std::thread::scope(|scope| {
            let any = scope.spawn(|| {
                builder(MatchKind::LeftmostFirst)
                    .build(&alternation)
                    .map_err(Box::new)
            });
            let set = builder(MatchKind::All).build_many(&all).map_err(Box::new);
            (any.join(), set)
        });
        let any = any.unwrap_or_else(|panic| std::panic::resume_unwind(panic))?;
        let set = set?;
        Ok(Scanner {
            any,
            set,
            classes: classes.len(),
            patterns: patterns.len(),
        })
    }

    fn caches(&self) -> Caches {
        Caches {
            any: self.any.create_cache(),
            set: self.set.create_cache(),
            matched: PatternSet::new(self.set.pattern_len()),
        }
    }

    /// Scan `reader`, calling `on_hit` for every matching line, in order, and
    /// `on_progress` with the bytes done so far; returns the number of lines.
    pub fn scan<R: Read + Send>(
        &self,
        reader: R,
        threads: usize,
        mut on_hit: impl FnMut(Hit<'_>),
        mut on_progress: impl FnMut(u64),
    ) -> io::Result<u64> {
        let mut lines = 0;
        self.scan_inputs(vec![reader], threads, &|_, _| (), |event| match event {
            Scanned::Hit { hit, .. } => on_hit(hit),
            Scanned::Progress { bytes, .. } => on_progress(bytes),
            Scanned::End { lines: n, .. } => lines = n,
        })?;
        Ok(lines)
    }

    /// Scan several inputs, one after the other as far as `on_event` can tell: it is told
    /// every matching line of the first input (with what `prepare` made of it), the bytes
    /// read so far, and the input's end with its line count and its reader; then the same
    /// for the next input.
    ///
    /// Each input is cut into regions of about [`CHUNK`] bytes on line ends. With `threads`
    /// above 1, one thread reads ahead, through the inputs in turn, and `threads` threads
    /// search the regions and prepare their hits, whichever input they belong to (so many
    /// small inputs are searched in parallel too, as one big one is); the hits are handed
    /// over region by region in order, so `on_event` sees the very same calls as with one
    /// thread. `prepare` is what a caller can do for a line without knowing the lines
    /// before it (parse it); `on_event` is what must be done in order. At most
    /// `2 × threads + 2` regions are in flight, so memory stays constant whatever the
    /// inputs' sizes.
    pub fn scan_inputs<R: Read + Send, T: Send>(
        &self,
        inputs: Vec<R>,
        threads: usize,
        prepare: &Prepare<'_, T>,
        mut on_event: impl FnMut(Scanned<'_, T, R>),
    ) -> io::Result<()> {
        // Per input, as its regions are handed over: lines so far and the last byte seen.
        let mut lines_before = 0u64;
        let mut last_byte = None;
        let mut deliver = |region: &mut Region<T>, reader: Option<R>| {
            let Region {
                data,
                hits,
                patterns,
                items,
                input,
                ..
            } = region;
            let input = *input;
            for (h, item) in hits.iter().zip(items.drain(..)) {
                on_event(Scanned::Hit {
                    input,
                    hit: h.hit(data, patterns, lines_before),
                    item,
                });
            }
            if let Some(&b) = data.last() {
                last_byte = Some(b);
            }
            lines_before += region.line_ends;
            on_event(Scanned::Progress {
                input,
                bytes: region.read_total,
            });
            if let Some(reader) = reader {
                // A last line without a line end still counts.
                let last = u64::from(last_byte.is_some_and(|b| !matches!(b, b'\n' | b'\r')));
                on_event(Scanned::End {
                    input,
                    lines: lines_before + last,
                    reader,
                });
                (lines_before, last_byte) = (0, None);
            }
        };
        if threads <= 1 {
            let mut region = Region::default();
            let mut caches = self.caches();
            for (input, reader) in inputs.into_iter().enumerate() {
                let mut regions = Regions::new(reader);
                region.input = input;
                while regions.next_into(&mut region.data, &mut region.read_total)? {
                    self.search(&mut region, &mut caches, prepare);
                    deliver(&mut region, None);
                }
                // The end: an empty region that hands the reader back.
                region.data.clear();
                region.read_total = regions.read_total;
                self.search(&mut region, &mut caches, prepare);
                deliver(&mut region, Some(regions.reader));
            }
            return Ok(());
        }
        let in_flight = 2 * threads + 2;
        let (job_tx, job_rx) = mpsc::sync_channel::<(u64, Region<T>)>(in_flight);
        let job_rx = Mutex::new(job_rx);
        let (done_tx, done_rx) = mpsc::channel::<(u64, Region<T>)>();
        // Spent regions go back to the reader, which waits for one before reading ahead:
        // the bound on memory.
        let (spare_tx, spare_rx) = mpsc::channel::<Region<T>>();
        for _ in 0..in_flight {
            let _ = spare_tx.send(Region::default());
        }
        // Each input's reader, handed back after its last region.
        let (ended_tx, ended_rx) = mpsc::channel::<R>();
        std::thread::scope(|scope| -> io::Result<()> {
            let reader_thread = scope.spawn(move || -> io::Result<()> {
                let mut seq = 0u64;
                for (input, reader) in inputs.into_iter().enumerate() {
                    let mut regions = Regions::new(reader);
                    loop {
                        let Ok(mut region) = spare_rx.recv() else {
                            return Ok(());
                        };
                        region.input = input;
                        // The input's end is an empty region marked last.
                        let more = regions.next_into(&mut region.data, &mut region.read_total)?;
                        if !more {
                            region.data.clear();
                            region.read_total = regions.read_total;
                            region.last = true;
                        }
                        if job_tx.send((seq, region)).is_err() {
                            return Ok(());
                        }
                        seq += 1;
                        if !more {
                            break;
                        }
                    }
                    let _ = ended_tx.send(regions.reader);
                }
                Ok(())
            });
            // The thread that hands the regions over searches too, when the next region is
            // not ready: so `threads` threads search in all.
            for _ in 1..threads {
                let done_tx = done_tx.clone();
                let job_rx = &job_rx;
                scope.spawn(move || {
                    let mut caches = self.caches();
                    loop {
                        let job = job_rx.lock().map(|rx| rx.recv());
                        let Ok(Ok((seq, mut region))) = job else {
                            break;
                        };
                        self.search(&mut region, &mut caches, prepare);
                        if done_tx.send((seq, region)).is_err() {
                            break;
                        }
                    }
                });
            }
            drop(done_tx);
            // Hand the regions over in input order.
            let mut waiting: BTreeMap<u64, Region<T>> = BTreeMap::new();
            let mut next = 0u64;
            let mut caches = self.caches();
            loop {
                if let Some(mut region) = waiting.remove(&next) {
                    let reader = if region.last {
                        region.last = false;
                        ended_rx.recv().ok()
                    } else {
                        None
                    };
                    deliver(&mut region, reader);
                    next += 1;
                    let _ = spare_tx.send(region);
                    continue;
                }
                // Search a region waiting for a thread rather than wait; a searcher that
                // holds the queue is waiting for the reader, so there is none.
                let job = job_rx.try_lock().ok().and_then(|rx| rx.try_recv().ok());
                if let Some((seq, mut region)) = job {
                    self.search(&mut region, &mut caches, prepare);
                    waiting.insert(seq, region);
                    continue;
                }
                match done_rx.recv() {
                    Ok((seq, region)) => {
                        waiting.insert(seq, region);
                    }
                    Err(_) => break,
                }
            }
            drop(spare_tx);
            reader_thread
                .join()
                .unwrap_or_else(|_| Err(io::Error::other("the reading thread stopped")))
        })
    }

    /// Find the matching lines of one region (whole lines, but for a line longer than a
    /// region), and count its line ends.
    fn search<T>(&self, region: &mut Region<T>, caches: &mut Caches, prepare: &Prepare<'_, T>) {
        region.hits.clear();
        region.patterns.clear();
        region.items.clear();
        let data = &region.data;
        let mut lines = 0u64;
        let mut counted = 0; // data[..counted] has had its line ends counted
        let mut pos = 0;
        while pos < data.len() {
            // Where the first match ends is enough to find its line: the search need not go
            // back for where it starts.
            let input = Input::new(data).range(pos..).earliest(true);
            let Some(end) = self.any.search_half_with(&mut caches.any, &input) else {
                break;
            };
            let end = end.offset();
            let at = end.saturating_sub(1).max(pos);
            let start = memchr::memrchr2(b'\n', b'\r', &data[..at]).map_or(0, |i| i + 1);
            let stop = memchr::memchr2(b'\n', b'\r', &data[at..]).map_or(data.len(), |i| at + i);
            lines += count_line_ends(&data[counted..start]);
            counted = start;
            let first = region.patterns.len();
            caches.matched.clear();
            self.set.which_overlapping_matches_with(
                &mut caches.set,
                &Input::new(&data[start..stop]),
                &mut caches.matched,
            );
            region
                .patterns
                .extend(caches.matched.iter().take(caches.matched.len()).map(
                    |p| match p.as_usize() {
                        class if class < self.classes => self.patterns + class,
                        pattern => pattern - self.classes,
                    },
                ));
            region.hits.push(RegionHit {
                line: lines,
                start,
                stop,
                patterns: (first, region.patterns.len()),
            });
            pos = stop + 1;
        }
        region.line_ends = lines + count_line_ends(&data[counted..]);
        let Region {
            data,
            hits,
            patterns,
            items,
            ..
        } = region;
        items.extend(hits.iter().map(|h| {
            prepare(
                &data[h.start..h.stop],
                &patterns[h.patterns.0..h.patterns.1],
            )
        }));
    }
}

/// What [`Scanner::scan_inputs`] tells, in order.
pub enum Scanned<'a, T, R> {
    /// A matching line of input `input` (0-based), and what `prepare` made of it.
    Hit { input: usize, hit: Hit<'a>, item: T },
    /// The bytes of `input` read so far.
    Progress { input: usize, bytes: u64 },
    /// The end of `input`: its number of lines, and its reader back.
    End { input: usize, lines: u64, reader: R },
}

/// A piece of an input of whole lines, and what was found in it.
struct Region<T> {
    /// Which input it is of.
    input: usize,
    /// The input's end: an empty region after its last.
    last: bool,
    data: Vec<u8>,
    /// Bytes of the input read up to the end of this region's read.
    read_total: u64,
    hits: Vec<RegionHit>,
    /// The patterns of every hit, one after the other.
    patterns: Vec<usize>,
    /// What `prepare` made of each hit.
    items: Vec<T>,
    line_ends: u64,
}

impl<T> Default for Region<T> {
    fn default() -> Self {
        Region {
            input: 0,
            last: false,
            data: Vec::new(),
            read_total: 0,
            hits: Vec::new(),
            patterns: Vec::new(),
            items: Vec::new(),
            line_ends: 0,
        }
    }
}

struct RegionHit {
    /// Line ends before the hit, within the region.
    line: u64,
    start: usize,
    stop: usize,
    /// Its patterns: a range of [`Region::patterns`].
    patterns: (usize, usize),
}

impl RegionHit {
    /// The hit, numbered after `lines_before` lines.
    fn hit<'a>(&self, data: &'a [u8], patterns: &'a [usize], lines_before: u64) -> Hit<'a> {
        Hit {
            number: lines_before + self.line + 1,
            text: &data[self.start..self.stop],
            patterns: &patterns[self.patterns.0..self.patterns.1],
        }
    }
}

/// The input cut into regions on line ends: each is up to [`CHUNK`] bytes read, without
/// the incomplete last line, which starts the next (a line longer than that is cut). The
/// input is read straight into the region; only that incomplete line is copied.
struct Regions<R> {
    reader: R,
    /// The incomplete last line of the region before.
    tail: Vec<u8>,
    read_total: u64,
    eof: bool,
}

impl<R: Read> Regions<R> {
    fn new(reader: R) -> Regions<R> {
        Regions {
            reader,
            tail: Vec::new(),
            read_total: 0,
            eof: false,
        }
    }

    /// The next region into `out`; false at the end of the input.
    fn next_into(&mut self, out: &mut Vec<u8>, read_total: &mut u64) -> io::Result<bool> {
        out.clear();
        out.append(&mut self.tail);
        if !self.eof && out.len() < CHUNK {
            let want = (CHUNK - out.len()) as u64;
            let n = (&mut self.reader).take(want).read_to_end(out)?;
            self.read_total += n as u64;
            // A short read to the end of the input; a full one may be followed by more.
            self.eof = (n as u64) < want;
        }
        if out.is_empty() {
            return Ok(false);
        }
        // Up to the last complete line; at the end of input, everything.
        if !self.eof {
            if let Some(end) = last_line_end(out) {
                self.tail.extend_from_slice(&out[end..]);
                out.truncate(end);
            }
        }
        *read_total = self.read_total;
        Ok(true)
    }
}

/// Where the last complete line of `buf` ends (just past its LF, CRLF or CR). A CR that is
/// the buffer's last byte may be the first half of a CRLF whose LF has not been read yet,
/// so it waits for the next read.
fn last_line_end(buf: &[u8]) -> Option<usize> {
    let i = memchr::memrchr2(b'\n', b'\r', buf)?;
    if buf[i] == b'\r' && i + 1 == buf.len() {
        return memchr::memrchr2(b'\n', b'\r', &buf[..i]).map(|j| j + 1);
    }
    Some(i + 1)
}

/// The number of line ends in `bytes`, where LF, CRLF and a lone CR are each one. Callers
/// never split a CRLF between two calls.
fn count_line_ends(bytes: &[u8]) -> u64 {
    let lf = memchr::memchr_iter(b'\n', bytes).count();
    let lone_cr = memchr::memchr_iter(b'\r', bytes)
        .filter(|&i| bytes.get(i + 1) != Some(&b'\n'))
        .count();
    (lf + lone_cr) as u64
}

#[cfg(test)]
mod tests {
    use super::*;

    type Found = (u64, Vec<(u64, String, Vec<usize>)>);

    fn scan_with(patterns: &[&str], input: &[u8], threads: usize) -> Found {
        let s = Scanner::new(&patterns.iter().map(|p| p.to_string()).collect::<Vec<_>>()).unwrap();
        let mut hits = Vec::new();
        let lines = s
            .scan(
                input,
                threads,
                |h| {
                    hits.push((
                        h.number,
                        String::from_utf8_lossy(h.text).into_owned(),
                        h.patterns.to_vec(),
                    ))
                },
                |_| {},
            )
            .unwrap();
        (lines, hits)
    }

    /// One thread and several give the very same hits (each test input is scanned both
    /// ways).
    fn scan(patterns: &[&str], input: &[u8]) -> Found {
        let one = scan_with(patterns, input, 1);
        for threads in [2, 3, 8] {
            assert_eq!(
                scan_with(patterns, input, threads),
                one,
                "{threads} threads"
            );
        }
        one
    }

    #[test]
    fn finds_lines_with_numbers_and_patterns() {
        let input = b"ok\r\n%CRYPTO-4-PKT_REPLAY_ERR: replay check failed\r\nok\nMM_KEY_EXCH and Replay check failed\nlast";
        let (lines, hits) = scan(&["(?i)replay check failed", r"\bMM_KEY_EXCH\b"], input);
        assert_eq!(lines, 5);
        assert_eq!(hits.len(), 2);
        assert_eq!(
            hits[0],
            (
                2,
                "%CRYPTO-4-PKT_REPLAY_ERR: replay check failed".into(),
                vec![0]
            )
        );
        assert_eq!(hits[1].0, 4);
        assert_eq!(hits[1].2, vec![0, 1]);
    }

    #[test]
    fn cr_crlf_and_lf_all_end_lines() {
        let (lines, hits) = scan(
            &["replay check failed"],
            b"one\rreplay check failed\rthree\r\nreplay check failed\nfive",
        );
        assert_eq!(lines, 5);
        let found: Vec<(u64, &str)> = hits.iter().map(|h| (h.0, h.1.as_str())).collect();
        assert_eq!(
            found,
            [(2, "replay check failed"), (4, "replay check failed")]
        );
    }

    #[test]
    fn a_crlf_split_between_two_reads_is_one_line_end() {
        assert_eq!(last_line_end(b"a\r\nb\r"), Some(3));
        assert_eq!(last_line_end(b"b\r"), None);
        assert_eq!(count_line_ends(b"a\r\nb\rc\n"), 3);
    }

    #[test]
    fn empty_binary_and_huge_lines() {
        assert_eq!(scan(&["x"], b"").0, 0);
        assert_eq!(scan(&["x"], b"\n").0, 1);
        let junk: Vec<u8> = (0..3_000_000u64).map(|i| (i * 7919 % 251) as u8).collect();
        let _ = scan(&["MM_KEY_EXCH"], &junk);
        // One line of 3 MiB with the match near its end, then a second line.
        let mut long = vec![b'a'; 3 << 20];
        long.extend_from_slice(b" MM_KEY_EXCH\nnext MM_KEY_EXCH\n");
        let (lines, hits) = scan(&["MM_KEY_EXCH"], &long);
        assert_eq!(lines, 2);
        assert_eq!(hits.last().unwrap().0, 2);
        assert!(hits.iter().any(|h| h.0 == 1));
    }

    #[test]
    fn line_numbers_across_chunks() {
        let mut input = Vec::new();
        for i in 1..=200_000u32 {
            if i % 50_000 == 0 {
                input.extend_from_slice(format!("{i}: QM_IDLE\n").as_bytes());
            } else {
                input.extend_from_slice(
                    format!("{i}: %LINK-3-UPDOWN: Interface Gi0/1, changed state to up\n")
                        .as_bytes(),
                );
            }
        }
        let (lines, hits) = scan(&["QM_IDLE"], &input);
        assert_eq!(lines, 200_000);
        let numbers: Vec<u64> = hits.iter().map(|h| h.0).collect();
        assert_eq!(numbers, [50_000, 100_000, 150_000, 200_000]);
        assert!(hits.iter().all(|h| h.1.starts_with(&h.0.to_string())));
    }
}
