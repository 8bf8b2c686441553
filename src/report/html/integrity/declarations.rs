//! Part of the integrity oversight section (see `super`).

use super::Morning;
use maud::{html, Markup};

pub fn declarations(m: &Morning<'_>) -> Markup {
    let _ = m;
    html! {}
}
