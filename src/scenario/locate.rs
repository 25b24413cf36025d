//! Finds the line and column of a field path (e.g. `agents[1].alpha`) in RON text.
//!
//! ron reports positions for syntax and type errors, but validation runs after parsing,
//! on plain values. To point range errors at the right place we re-read the text with
//! this small, forgiving RON reader that only keeps positions: enough structure to walk a
//! field path (struct fields, list items, `Name(...)` enum/struct wrappers). If the path
//! cannot be followed to the end (a field left at its default is not in the text), the
//! position of the deepest part that exists is returned.

/// A position in the text: 1-based line and column.
pub type Position = (usize, usize);

#[derive(Debug, Clone, PartialEq)]
enum Tok<'a> {
    Ident(&'a str),
    Open(char),
    Close(char),
    Colon,
    Comma,
    /// Strings, numbers, chars and anything else that is a leaf value.
    Atom,
}

struct Lexer<'a> {
    tokens: Vec<(Tok<'a>, Position)>,
}

impl<'a> Lexer<'a> {
    fn new(text: &'a str) -> Self {
        let bytes = text.as_bytes();
        let mut tokens = Vec::new();
        let (mut i, mut line, mut col) = (0usize, 1usize, 1usize);
        // Advances over one byte, tracking line and column (columns count chars, not bytes).
        let step = |i: &mut usize, line: &mut usize, col: &mut usize| {
            if bytes[*i] == b'\n' {
                *line += 1;
                *col = 1;
            } else if bytes[*i] & 0xC0 != 0x80 {
                *col += 1;
            }
            *i += 1;
        };
        while i < bytes.len() {
            let c = bytes[i];
            let pos = (line, col);
            if c.is_ascii_whitespace() {
                step(&mut i, &mut line, &mut col);
            } else if text[i..].starts_with("//") {
                while i < bytes.len() && bytes[i] != b'\n' {
                    step(&mut i, &mut line, &mut col);
                }
            } else if text[i..].starts_with("/*") {
                let mut depth = 0usize;
                while i < bytes.len() {
                    if text[i..].starts_with("/*") {
                        depth += 1;
                        step(&mut i, &mut line, &mut col);
                    } else if text[i..].starts_with("*/") {
                        depth -= 1;
                        step(&mut i, &mut line, &mut col);
                        if depth == 0 {
                            step(&mut i, &mut line, &mut col);
                            break;
                        }
                    }
                    step(&mut i, &mut line, &mut col);
                }
            } else if c == b'"' || c == b'\'' {
                step(&mut i, &mut line, &mut col);
                while i < bytes.len() && bytes[i] != c {
                    if bytes[i] == b'\\' {
                        step(&mut i, &mut line, &mut col);
                    }
                    if i < bytes.len() {
                        step(&mut i, &mut line, &mut col);
                    }
                }
                if i < bytes.len() {
                    step(&mut i, &mut line, &mut col);
                }
                tokens.push((Tok::Atom, pos));
            } else if matches!(c, b'(' | b'[' | b'{') {
                tokens.push((Tok::Open(c as char), pos));
                step(&mut i, &mut line, &mut col);
            } else if matches!(c, b')' | b']' | b'}') {
                tokens.push((Tok::Close(c as char), pos));
                step(&mut i, &mut line, &mut col);
            } else if c == b':' {
                tokens.push((Tok::Colon, pos));
                step(&mut i, &mut line, &mut col);
            } else if c == b',' {
                tokens.push((Tok::Comma, pos));
                step(&mut i, &mut line, &mut col);
            } else if c.is_ascii_alphabetic() || c == b'_' {
                let start = i;
                while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
                    step(&mut i, &mut line, &mut col);
                }
                tokens.push((Tok::Ident(&text[start..i]), pos));
            } else {
                // Numbers, signs, `#![enable(...)]` attributes' `#`/`!`, anything else.
                let start = i;
                while i < bytes.len()
                    && !bytes[i].is_ascii_whitespace()
                    && !matches!(
                        bytes[i],
                        b'(' | b')' | b'[' | b']' | b'{' | b'}' | b':' | b','
                    )
                {
                    step(&mut i, &mut line, &mut col);
                }
                if i == start {
                    step(&mut i, &mut line, &mut col);
                }
                tokens.push((Tok::Atom, pos));
            }
        }
        Self { tokens }
    }
}

/// A parsed value, keeping only structure and positions.
#[derive(Debug)]
enum Node<'a> {
    /// `(a: .., b: ..)` or `Name(a: ..)`, or a map `{ "k": v }` (keys are atoms, ignored).
    Fields(Vec<(&'a str, Position, Node<'a>)>),
    /// `[..]` or `(x, y)` or `Name(x)`.
    Items(Vec<(Position, Node<'a>)>),
    /// Anything else.
    Leaf,
}

struct Parser<'a, 't> {
    toks: &'t [(Tok<'a>, Position)],
    at: usize,
}

impl<'a> Parser<'a, '_> {
    fn peek(&self, k: usize) -> Option<&Tok<'a>> {
        self.toks.get(self.at + k).map(|t| &t.0)
    }

    /// Parses one value. Unknown shapes become leaves; the reader never fails.
    fn value(&mut self) -> Node<'a> {
        match self.peek(0).cloned() {
            Some(Tok::Ident(_)) => {
                self.at += 1;
                if let Some(Tok::Open('(')) = self.peek(0) {
                    self.group(')')
                } else {
                    Node::Leaf
                }
            }
            Some(Tok::Open(c)) => self.group(match c {
                '(' => ')',
                '[' => ']',
                _ => '}',
            }),
            Some(_) => {
                self.at += 1;
                Node::Leaf
            }
            None => Node::Leaf,
        }
    }

    /// Parses a bracketed group starting at the opening token.
    fn group(&mut self, close: char) -> Node<'a> {
        self.at += 1;
        let named = matches!(
            (self.peek(0), self.peek(1)),
            (Some(Tok::Ident(_)), Some(Tok::Colon))
        );
        let mut fields = Vec::new();
        let mut items = Vec::new();
        loop {
            match self.peek(0) {
                None => break,
                Some(Tok::Close(c)) if *c == close => {
                    self.at += 1;
                    break;
                }
                Some(Tok::Close(_)) => {
                    // Mismatched bracket: stop here; the real parser reports it.
                    self.at += 1;
                    break;
                }
                Some(Tok::Comma) => self.at += 1,
                _ => {
                    let pos = self.toks[self.at].1;
                    if named {
                        if let (Some(Tok::Ident(name)), Some(Tok::Colon)) =
                            (self.peek(0).cloned(), self.peek(1))
                        {
                            self.at += 2;
                            fields.push((name, pos, self.value()));
                            continue;
                        }
                    } else if close == '}' {
                        // Map entry: key, colon, value.
                        self.value();
                        if let Some(Tok::Colon) = self.peek(0) {
                            self.at += 1;
                            items.push((pos, self.value()));
                        }
                        continue;
                    }
                    let before = self.at;
                    items.push((pos, self.value()));
                    if self.at == before {
                        self.at += 1;
                    }
                }
            }
        }
        if named {
            Node::Fields(fields)
        } else {
            Node::Items(items)
        }
    }
}

/// One step of a field path.
#[derive(Debug, PartialEq)]
enum Seg<'p> {
    Field(&'p str),
    Index(usize),
}

fn split_path(path: &str) -> Vec<Seg<'_>> {
    let mut segs = Vec::new();
    for part in path.split('.').filter(|p| !p.is_empty()) {
        let (name, rest) = part.split_once('[').unwrap_or((part, ""));
        if !name.is_empty() {
            segs.push(Seg::Field(name));
        }
        for idx in rest.split('[') {
            if let Ok(i) = idx.trim_end_matches(']').parse() {
                segs.push(Seg::Index(i));
            }
        }
    }
    segs
}

/// The position of `path` in `text`, or of its deepest ancestor present in the text.
///
/// Path segments that name an enum variant (`agents[1].LinUcb.alpha`) are skipped when the
/// text has no such field, since `Name(...)` wrappers carry no field of their own.
pub fn locate(text: &str, path: &str) -> Option<Position> {
    let lexer = Lexer::new(text);
    let mut parser = Parser {
        toks: &lexer.tokens,
        at: 0,
    };
    // Skip `#![enable(...)]` attributes before the top-level value.
    while let Some(Tok::Atom) = parser.peek(0) {
        parser.at += 1;
        if let Some(Tok::Open(_)) = parser.peek(0) {
            parser.value();
        }
    }
    let root = parser.value();
    let mut node = &root;
    let mut best = None;
    for seg in split_path(path) {
        match (seg, node) {
            (Seg::Field(name), Node::Fields(fields)) => {
                // Not found: an enum variant name in the path, or a defaulted field; stay here.
                if let Some((_, pos, child)) = fields.iter().find(|(n, _, _)| *n == name) {
                    best = Some(*pos);
                    node = child;
                }
            }
            (Seg::Index(i), Node::Items(items)) => match items.get(i) {
                Some((pos, child)) => {
                    best = Some(*pos);
                    node = child;
                }
                None => break,
            },
            // A variant name over a wrapper whose content we already are in.
            (Seg::Field(_), _) => {}
            _ => break,
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "// a comment (with: parens)\nScenario(\n    name: \"x, y\",\n    environment: LongTermSatisfaction(\n        population: [\n            (name: \"a\", share: 1.0, user: (sensitivity: -1.0)),\n        ],\n    ),\n    agents: [Random, LinUcb(alpha: -2.0)],\n)\n";

    #[test]
    fn finds_nested_fields() {
        assert_eq!(locate(TEXT, "name"), Some((3, 5)));
        assert_eq!(
            locate(TEXT, "environment.population[0].user.sensitivity"),
            Some((6, 44))
        );
        assert_eq!(locate(TEXT, "agents[1].alpha"), Some((9, 29)));
        assert_eq!(locate(TEXT, "agents[1].LinUcb.alpha"), Some((9, 29)));
    }

    #[test]
    fn falls_back_to_the_deepest_ancestor() {
        assert_eq!(
            locate(TEXT, "environment.population[0].user.memory_discount"),
            Some((6, 37))
        );
        assert_eq!(locate(TEXT, "agents[5]"), Some((9, 5)));
        assert_eq!(locate(TEXT, "environment.slate_size"), Some((4, 5)));
    }

    #[test]
    fn survives_broken_text() {
        assert_eq!(locate("(a: [1, 2", "a[1]"), Some((1, 9)));
        assert_eq!(locate("", "a"), None);
        assert_eq!(locate("/* unterminated", "a"), None);
        assert_eq!(locate("(a: \"unterminated", "a"), Some((1, 2)));
    }

    #[test]
    fn counts_columns_in_characters() {
        assert_eq!(locate("(d: \"é\", b: 1)", "b"), Some((1, 10)));
    }
}
