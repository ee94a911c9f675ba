import BankdropCore
import Foundation

extension LocalDate {
    /// Today's date in the local time zone, as the user's bank would date it (generated data ends
    /// today); nil only if the system calendar cannot say.
    public static func today() -> LocalDate? {
        let parts = Calendar.current.dateComponents([.year, .month, .day], from: Date())
        guard let year = parts.year, let month = parts.month, let day = parts.day else { return nil }
        return LocalDate(year: year, month: month, day: day)
    }
}
