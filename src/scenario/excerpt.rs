//! Short quotes of long option text: an error in a 20,000-character `--agents` list quotes
//! the few dozen characters around the mistake, not the whole list.

/// Most characters an excerpt quotes, ellipses included.
pub const EXCERPT_CHARS: usize = 80;

/// The byte offset of 1-based (`line`, `column`) in `text`, columns counting chars; the end
/// of the text when the position lies beyond it.
pub fn byte_offset(text: &str, line: usize, column: usize) -> usize {
    let line_start = if line <= 1 {
        0
    } else {
        text.match_indices('\n')
            .nth(line - 2)
            .map_or(text.len(), |(i, _)| i + 1)
    };
    text[line_start..]
        .char_indices()
        .nth(column.saturating_sub(1))
        .map_or(text.len(), |(i, _)| line_start + i)
}

/// The 1-based line and column (in chars) of byte offset `at` in `text`.
pub fn position(text: &str, at: usize) -> (usize, usize) {
    let before = &text[..at];
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (
        before.matches('\n').count() + 1,
        before[line_start..].chars().count() + 1,
    )
}

/// At most [`EXCERPT_CHARS`] chars of `text` around byte offset `at`, with `…` where text
/// was cut; short texts are returned whole.
pub fn excerpt(text: &str, at: usize) -> String {
    let chars: Vec<char> = text.chars().collect();
    if chars.len() <= EXCERPT_CHARS {
        return text.to_owned();
    }
    let at = text[..at.min(text.len())].chars().count();
    // Room for the two ellipses; a third of the rest before the mistake, the rest after.
    let room = EXCERPT_CHARS - 2;
    let start = at.saturating_sub(room / 3).min(chars.len() - room);
    let end = start + room;
    let (start, end) = match (start == 0, end == chars.len()) {
        (true, _) => (0, room + 1),
        (_, true) => (chars.len() - room - 1, chars.len()),
        _ => (start, end),
    };
    let mut out = String::new();
    if start > 0 {
        out.push('…');
    }
    out.extend(&chars[start..end]);
    if end < chars.len() {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_texts_are_quoted_whole() {
        assert_eq!(excerpt("LinUcb(alpha: -1.0)", 14), "LinUcb(alpha: -1.0)");
    }

    #[test]
    fn long_texts_are_cut_around_the_position() {
        let text = format!("LinUcb({}bogus: 1)", " ".repeat(20_000));
        let at = text.find("bogus").unwrap();
        let quoted = excerpt(&text, at);
        assert_eq!(quoted.chars().count(), EXCERPT_CHARS);
        assert!(
            quoted.starts_with('…') && quoted.ends_with("bogus: 1)"),
            "{quoted}"
        );
        let head = excerpt(&text, 0);
        assert!(head.starts_with("LinUcb(") && head.ends_with('…'), "{head}");
        assert_eq!(head.chars().count(), EXCERPT_CHARS);
        let middle = excerpt(&text, 10_000);
        assert!(middle.starts_with('…') && middle.ends_with('…'));
        assert_eq!(middle.chars().count(), EXCERPT_CHARS);
    }

    #[test]
    fn positions_and_offsets_agree_across_lines_and_wide_chars() {
        let text = "ab\né x\nyz";
        for at in [0, 1, 3, 5, 6, 8, 9] {
            let (line, column) = position(text, at);
            assert_eq!(byte_offset(text, line, column), at, "{at}");
        }
        assert_eq!(position(text, 6), (2, 3));
    }
}
