/// A path inside the inbox, relative to the inbox folder, kept as raw bytes.
///
/// Linux file names are bytes: a name with a newline or invalid UTF-8 must round-trip exactly,
/// so the path is never decoded to text except for display (``displayName``). It is always
/// relative and clean: no leading `/`, no empty, `.` or `..` component, no NUL byte, each
/// component at most 255 bytes. The first component is the account folder when the user sorts
/// files as `inbox/<account>/...`.
public struct InboxPath: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The path bytes, components joined with `/`.
    public let bytes: [UInt8]

    private static let slash = UInt8(ascii: "/")

    /// Validates `bytes` as a clean relative path, or returns nil.
    public init?(bytes: some Sequence<UInt8>) {
        let bytes = Array(bytes)
        guard !bytes.isEmpty, bytes.count < 4096, !bytes.contains(0) else { return nil }
        let components = bytes.split(separator: Self.slash, omittingEmptySubsequences: false)
        for component in components {
            guard !component.isEmpty, component.count <= InboxFileName.maximumLength,
                !component.elementsEqual([UInt8(ascii: ".")]),
                !component.elementsEqual([UInt8(ascii: "."), UInt8(ascii: ".")])
            else { return nil }
        }
        self.bytes = bytes
    }

    /// Validates a path written as text (UTF-8), e.g. `"acct/statement.csv"`.
    public init?(_ text: String) {
        self.init(bytes: text.utf8)
    }

    /// The components, first (top folder) to last (file name).
    public var components: [[UInt8]] {
        bytes.split(separator: Self.slash).map(Array.init)
    }

    /// The last component: the file name.
    public var name: [UInt8] {
        guard let slash = bytes.lastIndex(of: Self.slash) else { return bytes }
        return Array(bytes[(slash + 1)...])
    }

    /// The folder holding this entry, or nil for an entry directly in the inbox.
    public var parent: InboxPath? {
        guard let slash = bytes.lastIndex(of: Self.slash) else { return nil }
        return InboxPath(bytes: bytes[..<slash])
    }

    /// This path with one more component, or nil when `component` is not a valid name.
    public func appending(_ component: some Sequence<UInt8>) -> InboxPath? {
        let component = Array(component)
        guard !component.contains(Self.slash) else { return nil }
        return InboxPath(bytes: bytes + [Self.slash] + component)
    }

    /// Whether this path is `other` or lies below it.
    public func isWithin(_ other: InboxPath) -> Bool {
        bytes == other.bytes
            || (bytes.count > other.bytes.count && bytes.starts(with: other.bytes)
                && bytes[other.bytes.count] == Self.slash)
    }

    /// Whether any component is a temporary name (see ``InboxFileName/isTemporary(bytes:)``):
    /// such entries, and everything below a temporary folder, are never imported.
    public var isTemporary: Bool {
        bytes.split(separator: Self.slash).contains { InboxFileName.isTemporary(bytes: $0) }
    }

    /// The path made safe for logs and `--status` (see ``InboxFileName/displayName(_:)``).
    public var displayName: String { InboxFileName.displayName(bytes) }

    /// Same as ``displayName``.
    public var description: String { displayName }

    /// Byte order, which sorts a folder's entries together.
    public static func < (lhs: InboxPath, rhs: InboxPath) -> Bool {
        lhs.bytes.lexicographicallyPrecedes(rhs.bytes)
    }
}
