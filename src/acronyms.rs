//! Acronyms in a question, spelled out from the passages it retrieved: people write
//! "who's the NSC spokesperson?" about an article that only ever says "National
//! Security Council". Retrieval still finds the passage by its other words; the reader
//! then sees the name the passage uses.

use std::collections::HashSet;

use crate::retrieve::STOP_WORDS;

/// Shortest lower-case word read as an acronym ("nsc"); "IT" in capitals needs only two.
const MIN_LOWERCASE_LEN: usize = 3;
const MAX_LEN: usize = 6;
/// Lower-case words allowed inside a name: "Department *of* Homeland Security".
const NAME_JOINERS: &[&str] = &["of", "and", "for", "on", "the", "&"];

/// The question with each acronym that the passages never use but spell out replaced by
/// the name, or None when nothing changes.
pub fn expand(question: &str, passages: &[&str]) -> Option<String> {
    let used: HashSet<String> = passages
        .iter()
        .flat_map(|p| words(p))
        .map(|(_, w)| w.to_lowercase())
        .collect();
    let mut out = String::with_capacity(question.len());
    let mut last = 0;
    let mut changed = false;
    for (at, word) in words(question) {
        let lower = word.to_lowercase();
        let shaped = word.len() <= MAX_LEN
            && word.chars().all(|c| c.is_ascii_alphabetic())
            && (word.len() >= MIN_LOWERCASE_LEN
                || (word.len() >= 2 && word.chars().all(|c| c.is_ascii_uppercase())));
        if !shaped || used.contains(&lower) || STOP_WORDS.contains(&lower.as_str()) {
            continue;
        }
        let Some(name) = passages.iter().find_map(|p| spelled_out(p, &lower)) else {
            continue;
        };
        out.push_str(&question[last..at]);
        out.push_str(&name);
        last = at + word.len();
        changed = true;
    }
    out.push_str(&question[last..]);
    changed.then_some(out)
}

/// Words (letters, digits, inner dots and apostrophes) with their byte offsets.
fn words(text: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text
        .char_indices()
        .chain(std::iter::once((text.len(), ' ')))
    {
        // "U.S.", "who's", "U.S.-Mexico": punctuation between two letters stays inside.
        let inner = matches!(c, '.' | '\'' | '’' | '-')
            && start.is_some()
            && text[i + c.len_utf8()..]
                .chars()
                .next()
                .is_some_and(char::is_alphanumeric);
        match (c.is_alphanumeric() || c == '&' || inner, start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                out.push((s, &text[s..i]));
                start = None;
            }
            _ => {}
        }
    }
    out
}

/// A run of capitalised words in `passage` whose initials spell `acronym` (lower case):
/// "National Security Council" for "nsc". Joiners inside the run are kept, initials are
/// taken from the capitalised words only.
pub fn spelled_out(passage: &str, acronym: &str) -> Option<String> {
    let ws = words(passage);
    let capital = |w: &str| w.chars().next().is_some_and(char::is_uppercase);
    let n = acronym.chars().count();
    for start in 0..ws.len() {
        if !capital(ws[start].1) || STOP_WORDS.contains(&ws[start].1.to_lowercase().as_str()) {
            continue;
        }
        let mut initials = String::new();
        let mut end = start;
        for (i, &(at, w)) in ws.iter().enumerate().skip(start) {
            // A name never runs past a comma or a full stop: only spaces between its words.
            if i > start {
                let (prev_at, prev) = ws[i - 1];
                if !passage[prev_at + prev.len()..at]
                    .chars()
                    .all(char::is_whitespace)
                {
                    break;
                }
            }
            if capital(w) {
                initials.extend(w.chars().next().map(|c| c.to_ascii_lowercase()));
                end = i;
                if initials.len() >= n {
                    break;
                }
            } else if !NAME_JOINERS.contains(&w) {
                break;
            }
        }
        if initials == acronym && end > start {
            let (from, _) = ws[start];
            let (at, last) = ws[end];
            let name = &passage[from..at + last.len()];
            let name = name
                .strip_suffix("'s")
                .or_else(|| name.strip_suffix("’s"))
                .unwrap_or(name);
            return Some(name.to_string());
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    const PASSAGE: &str = "National Security Council spokesperson Adrienne Watson said the \
        Department of Homeland Security and the FBI worked with it.";

    #[test]
    fn acronyms_are_spelled_out_from_the_passages() {
        assert_eq!(
            expand("who's the NSC spokesperson?", &[PASSAGE]).as_deref(),
            Some("who's the National Security Council spokesperson?")
        );
        assert_eq!(
            expand("what did dhs say", &[PASSAGE]).as_deref(),
            Some("what did Department of Homeland Security say")
        );
    }

    #[test]
    fn words_the_passages_use_are_left_alone() {
        // "FBI" is in the passage; "it" is a word; "AW" is too short in lower case.
        assert_eq!(expand("what did the FBI do with it", &[PASSAGE]), None);
        assert_eq!(expand("who is aw", &[PASSAGE]), None);
        assert_eq!(expand("who is the CEO?", &[PASSAGE]), None);
    }

    #[test]
    fn a_name_stops_at_punctuation_and_loses_its_possessive() {
        let p = "Rebels left Arauca and Catatumbo. The talks went on in New Zealand's capital.";
        assert_eq!(expand("which countries act as guarantors?", &[p]), None);
        assert_eq!(
            expand("how many live in NZ", &[p]).as_deref(),
            Some("how many live in New Zealand")
        );
    }
}
