extension String {
    /// The string without leading and trailing spaces, tabs and no-break spaces.
    func trimmingBlanks() -> String {
        let blanks: Set<Character> = [" ", "\t", "\u{00A0}"]
        guard let first = firstIndex(where: { !blanks.contains($0) }),
            let last = lastIndex(where: { !blanks.contains($0) })
        else { return "" }
        return String(self[first...last])
    }

    /// Whether this header cell names `column` (case and surrounding blanks ignored).
    func matchesColumn(_ column: String) -> Bool {
        trimmingBlanks().lowercased() == column.trimmingBlanks().lowercased()
    }
}
