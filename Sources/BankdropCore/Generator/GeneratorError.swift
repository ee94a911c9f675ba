/// Settings the synthetic data generator cannot honour; the message says which value to change.
public struct GeneratorError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The setting at fault (`--transactions`, `--overlap`, ...).
    public var setting: String
    /// What is wrong with it.
    public var message: String

    /// Creates an error about `setting`.
    public init(setting: String, message: String) {
        self.setting = setting
        self.message = message
    }

    /// `--overlap: must be a share between 0 and 1, not 1.5`.
    public var description: String { "\(setting): \(message)" }
}
