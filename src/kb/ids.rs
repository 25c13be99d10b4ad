//! What makes an ID an ID, in words: the characters IDs may use, and the look-alikes that
//! make a wrong ID look right.
//!
//! IDs are ASCII: lowercase letters, digits and `-`. A Cyrillic `е` in
//! `sym-tunnеl-not-established` looks exactly like the ASCII `e`, so "unknown node" or
//! "did you mean `sym-tunnel-not-established`?" alone leaves the author staring at two
//! identical strings. The messages built here name the character, its code point and its
//! column.

/// What IDs are made of, for the end of messages.
pub const ID_RULE: &str = "IDs are ASCII: lowercase letters, digits and `-`";

/// The first non-ASCII character of `id`: its 1-based column (in characters) and itself.
pub fn first_non_ascii(id: &str) -> Option<(usize, char)> {
    id.chars()
        .enumerate()
        .find(|(_, c)| !c.is_ascii())
        .map(|(i, c)| (i + 1, c))
}

/// A non-ASCII character in words: `` the non-ASCII character `е` (U+0435, a look-alike
/// of `e`) `` or `the invisible character U+200B`.
pub fn describe(c: char) -> String {
    let code = format!("U+{:04X}", c as u32);
    if is_invisible(c) {
        return format!("the invisible character {code}");
    }
    match look_alike(c) {
        Some(ascii) => format!("the non-ASCII character `{c}` ({code}, a look-alike of `{ascii}`)"),
        None => format!("the non-ASCII character `{c}` ({code})"),
    }
}

/// Why `id` is not a well-formed ID, when that is not a plain misspelling: a non-ASCII
/// character, upper case, `_` or a space. One sentence naming the ID.
pub fn explain(id: &str) -> Option<String> {
    let shown = super::problem::short(id);
    if let Some((column, c)) = first_non_ascii(id) {
        return Some(format!(
            "`{shown}` contains {} at column {column}; {ID_RULE}",
            describe(c)
        ));
    }
    if let Some((column, _)) = id.chars().enumerate().find(|(_, c)| c.is_ascii_uppercase()) {
        return Some(format!(
            "`{shown}` has an upper-case letter at column {}; {ID_RULE}",
            column + 1
        ));
    }
    for (bad, what) in [('_', "`_`"), (' ', "a space")] {
        if let Some(column) = id.chars().position(|c| c == bad) {
            return Some(format!(
                "`{shown}` has {what} at column {}; {ID_RULE}",
                column + 1
            ));
        }
    }
    None
}

/// `id` as the ASCII ID it looks like: look-alike letters, dashes and full-width forms
/// folded to ASCII, invisible characters dropped, lower case, `_` and spaces as `-`.
pub fn skeleton(id: &str) -> String {
    id.chars()
        .filter(|c| !is_invisible(*c))
        .map(|c| match c {
            '_' | ' ' => '-',
            c => look_alike(c).unwrap_or(c),
        })
        .flat_map(char::to_lowercase)
        .collect()
}

fn is_invisible(c: char) -> bool {
    matches!(c, '\u{00ad}' | '\u{180e}' | '\u{200b}'..='\u{200f}' | '\u{2028}'..='\u{202f}' | '\u{2060}'..='\u{2064}' | '\u{feff}')
        || (c.is_whitespace() && !c.is_ascii())
}

/// The ASCII character `c` is easily mistaken for, if any.
fn look_alike(c: char) -> Option<char> {
    if ('\u{ff01}'..='\u{ff5e}').contains(&c) {
        // Full-width ASCII forms.
        return char::from_u32(c as u32 - 0xfee0).map(|a| a.to_ascii_lowercase());
    }
    Some(match c {
        // Cyrillic.
        'а' | 'А' => 'a',
        'В' => 'b',
        'е' | 'Е' => 'e',
        'һ' | 'Н' => 'h',
        'і' | 'І' => 'i',
        'ј' | 'Ј' => 'j',
        'К' => 'k',
        'ӏ' => 'l',
        'М' => 'm',
        'о' | 'О' => 'o',
        'р' | 'Р' => 'p',
        'ԛ' => 'q',
        'ѕ' | 'Ѕ' => 's',
        'с' | 'С' => 'c',
        'Т' => 't',
        'у' | 'У' => 'y',
        'х' | 'Х' => 'x',
        'ԁ' => 'd',
        'ԝ' => 'w',
        // Greek.
        'α' | 'Α' => 'a',
        'Β' => 'b',
        'Ε' => 'e',
        'Η' => 'h',
        'ι' | 'Ι' => 'i',
        'κ' | 'Κ' => 'k',
        'Μ' => 'm',
        'ν' => 'v',
        'Ν' => 'n',
        'ο' | 'Ο' => 'o',
        'ρ' | 'Ρ' => 'p',
        'Τ' => 't',
        'υ' => 'u',
        'Υ' => 'y',
        'Χ' => 'x',
        'Ζ' => 'z',
        // Latin.
        'ı' => 'i',
        // Dashes and minus signs.
        '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{fe63}' => '-',
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_the_character_its_code_point_and_column() {
        assert_eq!(
            explain("sym-tunn\u{435}l-not-established").as_deref(),
            Some("`sym-tunnеl-not-established` contains the non-ASCII character `е` (U+0435, a look-alike of `e`) at column 9; IDs are ASCII: lowercase letters, digits and `-`")
        );
        assert_eq!(
            explain("q-a\u{200b}b").as_deref(),
            Some("`q-a\u{200b}b` contains the invisible character U+200B at column 4; IDs are ASCII: lowercase letters, digits and `-`")
        );
        assert!(explain("cause-éa")
            .unwrap()
            .contains("`é` (U+00E9) at column 7"));
        assert!(explain("Sym-down")
            .unwrap()
            .contains("upper-case letter at column 1"));
        assert!(explain("sym_down").unwrap().contains("`_` at column 4"));
        assert_eq!(explain("sym-dwon"), None);
    }

    #[test]
    fn skeletons_fold_look_alikes() {
        assert_eq!(skeleton("sym-tunn\u{435}l"), "sym-tunnel");
        assert_eq!(skeleton("SYM\u{2013}DOWN"), "sym-down");
        assert_eq!(skeleton("ｓｙｍ-down\u{feff}"), "sym-down");
        assert_eq!(skeleton("cause_psk mismatch"), "cause-psk-mismatch");
    }
}
