extension ArraySlice where Element == UInt8 {
    /// The UTF-8 bytes without leading and trailing spaces, tabs and no-break spaces (U+00A0).
    func trimmingBlanks() -> ArraySlice<UInt8> {
        var lower = startIndex
        var upper = endIndex
        while lower < upper {
            if self[lower] == 0x20 || self[lower] == 0x09 {
                lower += 1
            } else if self[lower] == 0xC2, lower + 1 < upper, self[lower + 1] == 0xA0 {
                lower += 2
            } else {
                break
            }
        }
        while upper > lower {
            if self[upper - 1] == 0x20 || self[upper - 1] == 0x09 {
                upper -= 1
            } else if self[upper - 1] == 0xA0, upper - 2 >= lower, self[upper - 2] == 0xC2 {
                upper -= 2
            } else {
                break
            }
        }
        return self[lower..<upper]
    }
}
