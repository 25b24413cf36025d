//! The agents' colours, shared by the dashboard's legend and the figures, so a figure and the
//! screen read the same: the n-th agent of a run has the n-th colour on both.

/// An agent's colour, by the terminal colour name the dashboard draws it with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AgentColor {
    /// The first agent.
    Yellow,
    /// The second.
    Cyan,
    /// The third.
    Magenta,
    /// The fourth.
    Green,
    /// The fifth.
    LightBlue,
    /// The sixth.
    LightRed,
    /// The seventh.
    LightGreen,
    /// The eighth.
    LightMagenta,
}

/// One colour per agent, in the order lanes (or multi-seed groups) appear; then it repeats.
pub const AGENT_COLORS: [AgentColor; 8] = [
    AgentColor::Yellow,
    AgentColor::Cyan,
    AgentColor::Magenta,
    AgentColor::Green,
    AgentColor::LightBlue,
    AgentColor::LightRed,
    AgentColor::LightGreen,
    AgentColor::LightMagenta,
];

impl AgentColor {
    /// The colour of the agent in position `slot`.
    pub const fn of_slot(slot: usize) -> Self {
        AGENT_COLORS[slot % AGENT_COLORS.len()]
    }

    /// The same hue as RGB for a figure on white (the terminal's exact shade is its theme's;
    /// these are a little darker than xterm's so thin lines read on white).
    pub const fn rgb(self) -> (u8, u8, u8) {
        match self {
            Self::Yellow => (0xd4, 0xa0, 0x00),
            Self::Cyan => (0x00, 0xa5, 0xb5),
            Self::Magenta => (0xc0, 0x20, 0xc0),
            Self::Green => (0x2c, 0xa0, 0x2c),
            Self::LightBlue => (0x3c, 0x80, 0xe0),
            Self::LightRed => (0xe0, 0x4c, 0x4c),
            Self::LightGreen => (0x70, 0xc0, 0x40),
            Self::LightMagenta => (0xe0, 0x70, 0xe0),
        }
    }
}

/// The reference lines' colour in figures (the dashboard draws them dark grey).
pub const REFERENCE_RGB: (u8, u8, u8) = (0x70, 0x70, 0x70);
