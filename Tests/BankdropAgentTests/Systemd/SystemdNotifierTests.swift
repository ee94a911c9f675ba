import BankdropAgent
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// sd_notify over a real datagram socket: what systemd would read.
@Suite("systemd notify")
struct SystemdNotifierTests {
    @Test("without NOTIFY_SOCKET every call is a no-op")
    func disabled() throws {
        let notifier = SystemdNotifier(environment: ["WATCHDOG_USEC": "30000000"])
        #expect(!notifier.isEnabled)
        try notifier.ready(status: "x")
        try notifier.watchdog()
        try notifier.stopping()
        #expect(!SystemdNotifier(environment: ["NOTIFY_SOCKET": ""]).isEnabled)
    }

    @Test("each call sends one datagram with the sd_notify assignments", arguments: [false, true])
    func messages(abstract: Bool) throws {
        let socket = abstract ? try DatagramSocket.abstract() : try DatagramSocket.bound()
        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": socket.address])
        #expect(notifier.isEnabled)

        try notifier.ready(status: "watching /srv/inbox")
        #expect(socket.receive() == "READY=1\nSTATUS=watching /srv/inbox")
        try notifier.ready()
        #expect(socket.receive() == "READY=1")
        try notifier.status("3 files queued")
        #expect(socket.receive() == "STATUS=3 files queued")
        try notifier.watchdog()
        #expect(socket.receive() == "WATCHDOG=1")
        try notifier.stopping(status: "finishing jan.csv")
        #expect(socket.receive() == "STOPPING=1\nSTATUS=finishing jan.csv")
        try notifier.extendTimeout(by: .seconds(90))
        #expect(socket.receive() == "EXTEND_TIMEOUT_USEC=90000000")

        try notifier.reloading()
        let reloading = try #require(socket.receive())
        let lines = reloading.split(separator: "\n")
        #expect(lines.first == "RELOADING=1")
        let monotonic = try #require(
            lines.last.flatMap { $0.hasPrefix("MONOTONIC_USEC=") ? UInt64($0.dropFirst(15)) : nil })
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        let nowMicroseconds = UInt64(now.tv_sec) * 1_000_000 + UInt64(now.tv_nsec) / 1_000
        #expect(monotonic <= nowMicroseconds && nowMicroseconds - monotonic < 5_000_000)
        #expect(!socket.hasPending())
    }

    @Test("a line break in a status line cannot smuggle in another assignment")
    func statusInjection() throws {
        let socket = try DatagramSocket.bound()
        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": socket.address])
        try notifier.status("bad file\nREADY=1\r\nSTOPPING=1\0")
        #expect(socket.receive() == "STATUS=bad file READY=1  STOPPING=1")
    }

    @Test(
        "the watchdog interval is half of WATCHDOG_USEC, for this process only",
        arguments: [
            (["WATCHDOG_USEC": "30000000"], Duration.seconds(15)),
            (["WATCHDOG_USEC": "30000000", "WATCHDOG_PID": "4242"], Duration.seconds(15)),
            (["WATCHDOG_USEC": "30000000", "WATCHDOG_PID": "4243"], nil),
            (["WATCHDOG_USEC": "1"], Duration.microseconds(1)),
            (["WATCHDOG_USEC": "0"], nil),
            (["WATCHDOG_USEC": "-5"], nil),
            (["WATCHDOG_USEC": "30s"], nil),
            ([:], nil),
        ] as [([String: String], Duration?)])
    func watchdogInterval(environment: [String: String], expected: Duration?) {
        #expect(SystemdNotifier(environment: environment, processID: 4242).watchdogInterval == expected)
    }

    @Test(
        "a bad or missing socket is an error that keeps the errno",
        arguments: [
            ("relative/notify", EAFNOSUPPORT),
            ("@", EAFNOSUPPORT),
            ("/" + String(repeating: "x", count: 120), ENAMETOOLONG),
            ("/nonexistent-bankdrop-folder/notify", ENOENT),
            ("@bankdrop-nobody-listens-here-\(UInt32.random(in: 0...UInt32.max))", ECONNREFUSED),
        ] as [(String, Int32)])
    func errors(address: String, errno expected: Int32) {
        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": address])
        #expect(throws: SystemdNotifyError.self) { try notifier.watchdog() }
        do {
            try notifier.watchdog()
        } catch {
            #expect(error.errno == expected)
            #expect(error.description.contains(address))
        }
    }
}
