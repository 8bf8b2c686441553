//! DECLARATION_REFUSED_IN_POST: a declaration of a type `integrity.refused_in_post_types`
//! lists (business interests and notifiable associations by default), decided `refused`,
//! whose person is on the roster (not a leaver) and holds a post the register marks
//! designated: the force refused the interest, and its holder sits where integrity matters
//! most. Days out of compliance count from the later of the declaration and the person's
//! post start (the declaration alone when no start is recorded). One row per declaration,
//! whose `vetting_ref` holds the declaration_ref.

use super::declaration::{self, Read, Status};
use crate::assess::{Code, Exception, Facts};

pub fn check(facts: &Facts<'_>, read: &[Read<'_>]) -> Vec<Exception> {
    read.iter()
        .filter(|r| r.status == Status::RefusedInDesignatedPost)
        .filter_map(|r| {
            let (person, post) = (r.person?, r.post?);
            let d = r.declaration;
            let mut e = super::person_row(facts, Code::DeclarationRefusedInPost, person);
            e.vetting_ref = d.declaration_ref.clone();
            // The row rests on the declaration, not on a link to a vetting record.
            e.match_score = None;
            e.days_out = r.days_out;
            e.detail = declaration::refused_text(d, post);
            Some(e)
        })
        .collect()
}
