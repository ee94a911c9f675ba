/// Wakes a loop that sleeps until a deadline or until someone rings, whichever comes first.
///
/// A ring while nobody waits is remembered (once), so no wake-up is lost between a loop's last
/// look at its work and its next wait. Shutdown rings too, so a waiting loop notices it.
actor Doorbell {
    private var waiter: (id: Int, continuation: CheckedContinuation<Void, Never>)?
    private var rung = false
    private var lastID = 0

    /// Wakes the waiter, or the next one to wait.
    func ring() {
        if let waiter {
            self.waiter = nil
            waiter.continuation.resume()
        } else {
            rung = true
        }
    }

    /// Returns when rung or when `deadline` passes (never, when nil).
    func wait(until deadline: ContinuousClock.Instant?) async {
        if rung {
            rung = false
            return
        }
        lastID += 1
        let id = lastID
        let timer = deadline.map { deadline in
            Task {
                try? await Task.sleep(until: deadline, clock: .continuous)
                self.expire(id)
            }
        }
        await withCheckedContinuation { waiter = (id, $0) }
        timer?.cancel()
    }

    private func expire(_ id: Int) {
        guard let waiter, waiter.id == id else { return }
        self.waiter = nil
        waiter.continuation.resume()
    }
}
