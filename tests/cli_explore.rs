//! `imflow explore`: stateright's Explorer answers on 127.0.0.1 at the port given, and a port
//! already in use is a clear tool error.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Command, Stdio};
use std::time::Duration;

/// A port that was free a moment ago.
fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    listener.local_addr().expect("addr").port()
}

#[test]
fn explorer_serves_its_page_on_the_given_port() {
    let port = free_port();
    let mut child = Command::new(env!("CARGO_BIN_EXE_imflow"))
        .args(["explore", "--port", &port.to_string()])
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .expect("spawn imflow explore");
    let mut first_line = String::new();
    if let Some(err) = child.stderr.take() {
        BufReader::new(err)
            .read_line(&mut first_line)
            .expect("read stderr");
    }
    let url = format!("http://127.0.0.1:{port}/");
    let page = (0..50).find_map(|_| {
        std::thread::sleep(Duration::from_millis(100));
        get(port, "/")
    });
    let status = get(port, "/.status");
    let _ = child.kill();
    let _ = child.wait();
    assert!(
        first_line.contains(&url),
        "stderr should name {url}: {first_line}"
    );
    let page = page.expect("the Explorer answered");
    assert!(
        page.starts_with("HTTP/1.") && page.contains(" 200 "),
        "{page}"
    );
    assert!(page.to_lowercase().contains("<html"), "{page}");
    let status = status.expect("the Explorer reported its status");
    assert!(
        status.contains("S2 one-notification-per-recipient"),
        "{status}"
    );
}

/// The whole HTTP/1.0 answer to a GET of `path`, if the server answered.
fn get(port: u16, path: &str) -> Option<String> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    let request = format!("GET {path} HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n");
    stream.write_all(request.as_bytes()).ok()?;
    let mut text = String::new();
    stream.read_to_string(&mut text).ok()?;
    Some(text)
}

#[test]
fn port_in_use_is_a_tool_error() {
    let busy = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = busy.local_addr().expect("addr").port();
    let out = Command::new(env!("CARGO_BIN_EXE_imflow"))
        .args(["explore", "--port", &port.to_string()])
        .output()
        .expect("run imflow explore");
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot listen"));
}
