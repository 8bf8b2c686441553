//! Issue 17 (hardening, round two): each test is named after the hole it pins. The store
//! must touch nothing it did not make; inputs must not fool the feed guards; the config must
//! never read demo data on a real force's night.

mod common;
use common::*;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

fn mode(p: &Path) -> u32 {
    std::fs::symlink_metadata(p).unwrap().permissions().mode() & 0o777
}

#[test]
fn issue17_db_on_an_ordinary_directory_is_refused_and_left_untouched() {
    let s = Scratch::new();
    let x = s.path("X");
    let (app, outside) = (x.join("app"), x.join("outside"));
    std::fs::create_dir_all(&app).unwrap();
    std::fs::create_dir_all(outside.join("sub")).unwrap();
    std::fs::write(app.join("start.sh"), "#!/bin/sh\n").unwrap();
    std::fs::set_permissions(app.join("start.sh"), std::fs::Permissions::from_mode(0o755)).unwrap();
    std::fs::write(app.join("lock"), "hi\n").unwrap();
    std::fs::write(outside.join("data.txt"), "x").unwrap();
    std::fs::set_permissions(
        outside.join("data.txt"),
        std::fs::Permissions::from_mode(0o644),
    )
    .unwrap();
    std::os::unix::fs::symlink("../outside", app.join("lnk")).unwrap();
    let before = [
        mode(&app),
        mode(&outside),
        mode(&outside.join("sub")),
        mode(&outside.join("data.txt")),
    ];

    let o = s.run(&[
        "--roster",
        "/nonexistent.csv",
        "--db",
        app.to_str().unwrap(),
    ]);
    assert_eq!(code(&o), 4, "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains(app.to_str().unwrap()),
        "names the directory: {err}"
    );
    assert!(
        err.contains("not empty and holds no vetrecon store"),
        "{err}"
    );
    assert_eq!(mode(&app.join("start.sh")), 0o755);
    assert_eq!(std::fs::read_to_string(app.join("lock")).unwrap(), "hi\n");
    assert!(!app.join("sled").exists() && !app.join("objects").exists());
    let after = [
        mode(&app),
        mode(&outside),
        mode(&outside.join("sub")),
        mode(&outside.join("data.txt")),
    ];
    assert_eq!(before, after, "nothing under the link changed");

    // Read commands refuse it too, and a file is not a store directory either.
    let o = vetrecon(
        &["runs".into(), "--db".into(), app.display().to_string()],
        s.dir.path(),
    );
    assert_eq!(code(&o), 4, "{}", stderr(&o));
    let f = s.write("plain-file", "x");
    let o = s.run(&["--db", f.to_str().unwrap()]);
    assert_eq!(code(&o), 4, "{}", stderr(&o));
    assert!(
        stderr(&o).contains("is a file, not a directory"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn issue17_a_refused_night_creates_no_store() {
    let s = Scratch::new();
    let o = s.run(&["--roster", "/nonexistent.csv"]);
    assert_eq!(code(&o), 3, "{}", stderr(&o));
    assert!(
        !s.db().exists(),
        "no store made for a night that was refused"
    );
    // An empty directory made by someone else is used, and its own mode is left alone.
    std::fs::create_dir(s.db()).unwrap();
    std::fs::set_permissions(s.db(), std::fs::Permissions::from_mode(0o750)).unwrap();
    let o = s.run(&[]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_eq!(mode(&s.db()), 0o750);
    assert_eq!(mode(&s.db().join("sled")), 0o700);
    assert_eq!(mode(&s.db().join("lock")), 0o600);
}

#[test]
fn issue17_links_inside_a_store_are_never_followed() {
    let s = Scratch::new();
    assert_eq!(code(&s.run(&[])), 0);
    let outside = s.path("outside");
    std::fs::create_dir(&outside).unwrap();
    std::fs::write(outside.join("data.txt"), "keep").unwrap();
    std::fs::set_permissions(&outside, std::fs::Permissions::from_mode(0o755)).unwrap();
    std::fs::set_permissions(
        outside.join("data.txt"),
        std::fs::Permissions::from_mode(0o644),
    )
    .unwrap();
    std::os::unix::fs::symlink(&outside, s.db().join("sled").join("lnk")).unwrap();
    std::os::unix::fs::symlink(outside.join("data.txt"), s.db().join("sled").join("f")).unwrap();
    let o = s.run(&["--rerun"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_eq!(mode(&outside), 0o755);
    assert_eq!(mode(&outside.join("data.txt")), 0o644);

    // A link planted as the lock file is refused, not truncated through.
    std::fs::remove_file(s.db().join("lock")).unwrap();
    std::os::unix::fs::symlink(outside.join("data.txt"), s.db().join("lock")).unwrap();
    let o = s.run(&["--rerun"]);
    assert_eq!(code(&o), 4, "{}", stderr(&o));
    assert_eq!(
        std::fs::read_to_string(outside.join("data.txt")).unwrap(),
        "keep"
    );
}

#[test]
fn issue17_dead_temporary_payload_files_are_removed_on_open() {
    let s = Scratch::new();
    assert_eq!(code(&s.run(&[])), 0);
    let sub = std::fs::read_dir(s.db().join("objects"))
        .unwrap()
        .flatten()
        .find(|e| e.path().is_dir())
        .expect("a payload directory")
        .path();
    let dead = sub.join(".tmp.AbCd12");
    std::fs::write(&dead, "half a delta of exceptions.xlsx").unwrap();
    let o = s.store_cmd(&["verify"]);
    assert_eq!(code(&o), 0, "{}{}", stdout(&o), stderr(&o));
    assert!(stdout(&o).contains("VERIFY OK"), "{}", stdout(&o));
    assert!(
        !dead.exists(),
        "opening the store removed the dead temporary file"
    );
    assert!(
        stderr(&o).contains("removed temporary payload files"),
        "{}",
        stderr(&o)
    );

    // One that is still there while the store is open (it could not be removed) is named.
    let store = vetrecon::store::Store::open(&s.db(), "test").unwrap();
    std::fs::write(&dead, "x").unwrap();
    let v = vetrecon::history::verify::verify(&store).unwrap();
    assert!(!v.ok());
    assert!(v.render().contains(".tmp.AbCd12"), "{}", v.render());
}

#[test]
fn issue17_out_inside_db_is_refused() {
    let s = Scratch::new();
    assert_eq!(code(&s.run(&[])), 0);
    let inside = s.db().join("reports");
    let o = s.run(&["--rerun", "--out", inside.to_str().unwrap()]);
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    assert!(stderr(&o).contains("inside the store"), "{}", stderr(&o));
    assert!(!inside.exists());
    // Spelled another way (through `..`) it is still inside.
    let sneaky = s.path("out/../db/x");
    let o = s.run(&["--rerun", "--out", sneaky.to_str().unwrap()]);
    assert_eq!(code(&o), 2, "{}", stderr(&o));
}
