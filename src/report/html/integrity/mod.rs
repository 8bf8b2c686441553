//! Integrity oversight: the four views the inspections ask for beyond a clearance per
//! postholder, each in its own file: posts whose recorded requirement looks wrong,
//! declarations and integrity reviews, sanctions compared between officers and staff, and
//! people with several signals at once. Each part opens with what to do, stays short when
//! empty, and leaves its long list to its CSV and workbook sheet.

mod declarations;
mod posts;
mod sanctions;
mod signals;

use super::Morning;
use maud::{html, Markup};

pub fn integrity(m: &Morning<'_>) -> Markup {
    html! {
        h3 id="integrity-posts" { "Posts whose requirement looks wrong" }
        (posts::posts(m))
        h3 id="integrity-declarations" { "Declarations and integrity reviews" }
        (declarations::declarations(m))
        h3 id="integrity-sanctions" { "Sanctions compared between officers and staff" }
        (sanctions::sanctions(m))
        h3 id="integrity-signals" { "Several signals at once" }
        (signals::signals(m))
    }
}
