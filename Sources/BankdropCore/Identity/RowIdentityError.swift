/// Why a row identity could not be assigned.
public enum RowIdentityError: Error, Sendable, Hashable, CustomStringConvertible {
    /// In `.windowed` mode, a booking date came back after the file had moved on to another date.
    ///
    /// The file is not grouped by date. Nothing is wrong with it: the pipeline assigns the
    /// identities again from the start of the file in `.trackAll` mode.
    case dateRevisited(date: LocalDate, line: Int)

    /// What happened and what to do about it.
    public var description: String {
        switch self {
        case .dateRevisited(let date, let line):
            "line \(line): booking date \(date) appears again after other dates; the file is not grouped "
                + "by date, so row identities must be assigned in track-all mode"
        }
    }
}
