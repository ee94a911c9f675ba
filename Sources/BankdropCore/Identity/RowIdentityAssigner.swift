import Crypto

/// Assigns each transaction of one file its stable `RowKey`, in file order.
///
/// The key is SHA-256 over a length-prefixed encoding of:
/// 1. the version tag `RowIdentityAssigner.version`,
/// 2. the normalised account (`normalizedAccount(_:)`),
/// 3. the booking date (`YYYY-MM-DD`),
/// 4. either `id` and the bank's own id (when the row has a non-blank one), or `text`, the
///    canonical amount (`canonicalAmount(_:)`), the normalised payee and the normalised
///    description (`normalizedText(_:)`),
/// 5. the occurrence number (1, 2, ...) of this row among the rows of the same file with the same
///    fields 1–4.
///
/// Two identical coffees on one day get occurrences 1 and 2, so both are kept; a later export
/// covering the same day numbers them the same way, so re-importing adds nothing. Each field is
/// its UTF-8 bytes preceded by their count as a 32-bit big-endian integer, so no two different
/// field lists encode alike. The numbers are decimal text, the date `YYYY-MM-DD`. The format is
/// persistent: a change needs a new version tag and a migration.
///
/// Memory stays flat in `.windowed` mode: occurrence counts are kept for the current booking date
/// only (per account), plus the set of dates already closed. A file that is not grouped by date
/// makes `key(for:account:)` throw `RowIdentityError.dateRevisited`; run the file again in
/// `.trackAll` mode, which keeps every count and accepts any order. Both modes give the same keys.
public struct RowIdentityAssigner: Sendable {
    /// How occurrence counts are kept.
    public enum Mode: Sendable, Hashable {
        /// Counts for the current booking date only; dates must come grouped (ascending,
        /// descending or any order, as long as each date forms one run per account).
        case windowed
        /// Counts for every date of the file: any order, memory grows with the file.
        case trackAll
    }

    /// The version tag that starts every encoding.
    public static let version = "bankdrop.row.v1"

    /// Occurrence state of one account.
    private struct AccountState: Sendable {
        var currentDate: LocalDate?
        var counts: [BaseDigest: Int] = [:]
        var closedDates: Set<LocalDate> = []
    }

    /// The mode this assigner runs in.
    public let mode: Mode
    /// Occurrence state of every account but the current one, by normalised account.
    private var accounts: [String: AccountState] = [:]
    /// The account of the previous row as given (nil before the first row), normalised, and its
    /// state: rows come in runs of one account, so most rows touch no dictionary of accounts.
    private var currentName: String?
    private var currentNormalized = ""
    private var current = AccountState()
    /// The encoding of the row at hand, kept between rows to reuse its storage.
    private var encoding: [UInt8] = []

    /// Creates an assigner for one file.
    public init(mode: Mode = .windowed) {
        self.mode = mode
    }

    /// The key of the next transaction of the file.
    ///
    /// - Parameters:
    ///   - transaction: the next transaction, in file order.
    ///   - account: the account the row belongs to, as the database knows it (the same value for
    ///     every import of that account); it is normalised here.
    /// - Throws: `RowIdentityError.dateRevisited` in `.windowed` mode when the file is not
    ///   grouped by date.
    public mutating func key(
        for transaction: StatementTransaction, account: String
    ) throws(RowIdentityError) -> RowKey {
        select(account)
        let date = transaction.bookingDate
        if mode == .windowed, current.currentDate != date {
            if current.closedDates.contains(date) {
                throw .dateRevisited(date: date, line: transaction.line)
            }
            if let previous = current.currentDate {
                current.closedDates.insert(previous)
            }
            current.currentDate = date
            current.counts.removeAll(keepingCapacity: true)
        }
        encoding.removeAll(keepingCapacity: true)
        Self.appendBase(of: transaction, normalizedAccount: currentNormalized, to: &encoding)
        let baseDigest = SHA256.hash(data: encoding).withUnsafeBytes { BaseDigest($0) }
        let occurrence = current.counts[baseDigest, default: 0] + 1
        current.counts[baseDigest] = occurrence

        Self.appendField(String(occurrence), to: &encoding)
        return SHA256.hash(data: encoding).withUnsafeBytes { RowKey(digestMemory: $0) }
    }

    /// Makes `account` the current account, keeping the state of the one before.
    private mutating func select(_ account: String) {
        if account == currentName { return }
        let normalized = Self.normalizedAccount(account)
        if currentName == nil || normalized != currentNormalized {
            if currentName != nil { accounts[currentNormalized] = current }
            current = accounts.removeValue(forKey: normalized) ?? AccountState()
            currentNormalized = normalized
        }
        currentName = account
    }

    /// How many occurrence counts are held now (for tests of the memory bound).
    var trackedCountEntries: Int { accounts.values.reduce(current.counts.count) { $0 + $1.counts.count } }

    /// The account as it enters the key: all whitespace removed, ASCII letters upper-cased
    /// (`de89 3704 0044` and `DE8937040044` are one account).
    public static func normalizedAccount(_ account: String) -> String {
        var scalars = String.UnicodeScalarView()
        for scalar in account.unicodeScalars where !scalar.properties.isWhitespace {
            if scalar.isASCII, ("a"..."z").contains(scalar) {
                scalars.append(Unicode.Scalar(UInt8(scalar.value) - 32))
            } else {
                scalars.append(scalar)
            }
        }
        return String(scalars)
    }

    /// Text as it enters the key: whitespace runs collapsed to one space, trimmed; nil is empty.
    ///
    /// Case is kept: a bank writes the same row the same way in every export, and upper/lower-case
    /// mappings change between Unicode versions, which would silently change persistent keys.
    public static func normalizedText(_ text: String?) -> String {
        guard let text else { return "" }
        return TextNormalization.collapsingWhitespace(text)
    }

    /// The amount as it enters the key: trailing fractional zeros dropped (`-4.50` → `-4.5`,
    /// `12.00` → `12`, `-0.00` → `0`).
    public static func canonicalAmount(_ amount: Amount) -> String {
        canonical(amount).description
    }

    private static func canonical(_ amount: Amount) -> Amount {
        var units = amount.units
        var scale = amount.scale
        while scale > 0, units % 10 == 0 {
            units /= 10
            scale -= 1
        }
        return Amount(units: units, scale: max(scale, 0))
    }

    /// The length-prefixed version tag, the same for every row.
    private static let versionField: [UInt8] = {
        var field: [UInt8] = []
        appendField(version, to: &field)
        return field
    }()

    /// Appends fields 1–4 of the key: everything but the occurrence number.
    ///
    /// Written straight into one reused buffer (no String per field) because it runs for every
    /// row: building Strings here cost a third of the identity's CPU (`perf record`, 200k rows).
    private static func appendBase(
        of transaction: StatementTransaction, normalizedAccount: String, to encoding: inout [UInt8]
    ) {
        encoding.append(contentsOf: versionField)
        appendField(normalizedAccount, to: &encoding)
        appendField(to: &encoding) { transaction.bookingDate.appendDescription(to: &$0) }
        let bankID = normalizedText(transaction.bankID)
        if !bankID.isEmpty {
            appendField("id", to: &encoding)
            appendField(bankID, to: &encoding)
        } else {
            appendField("text", to: &encoding)
            appendField(to: &encoding) { canonical(transaction.amount).appendDescription(to: &$0) }
            appendField(normalizedText(transaction.payee), to: &encoding)
            appendField(normalizedText(transaction.description), to: &encoding)
        }
    }

    /// Appends the UTF-8 bytes of `field`, preceded by their count (32-bit big-endian).
    private static func appendField(_ field: String, to encoding: inout [UInt8]) {
        appendField(to: &encoding) { $0.append(contentsOf: field.utf8) }
    }

    /// Appends the bytes `write` appends, preceded by their count (32-bit big-endian).
    private static func appendField(to encoding: inout [UInt8], _ write: (inout [UInt8]) -> Void) {
        let countAt = encoding.count
        encoding.append(contentsOf: repeatElement(0, count: 4))
        write(&encoding)
        let count = UInt32(truncatingIfNeeded: encoding.count - countAt - 4)
        encoding[countAt] = UInt8(truncatingIfNeeded: count >> 24)
        encoding[countAt + 1] = UInt8(truncatingIfNeeded: count >> 16)
        encoding[countAt + 2] = UInt8(truncatingIfNeeded: count >> 8)
        encoding[countAt + 3] = UInt8(truncatingIfNeeded: count)
    }

    /// What occurrence counts are keyed by: the first 128 bits of SHA-256 over the base encoding,
    /// held inline. Keying by the encoding itself cost a heap array of 128+ bytes per distinct row
    /// (3.1 GB peak RSS for a 9M-row file in `.trackAll` mode); 128 bits keep collisions, which
    /// would shift occurrence numbers, out of reach.
    private struct BaseDigest: Hashable {
        var high: UInt64
        var low: UInt64

        /// - Parameter digest: the memory of a SHA-256 digest (32 bytes).
        init(_ digest: UnsafeRawBufferPointer) {
            high = UInt64(bigEndian: digest.loadUnaligned(fromByteOffset: 0, as: UInt64.self))
            low = UInt64(bigEndian: digest.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
        }
    }
}
