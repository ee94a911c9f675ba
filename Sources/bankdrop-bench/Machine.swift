import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The machine and build the figures come from, for the report's header: figures mean little
/// without them.
struct Machine: Sendable {
    /// Online processors (`sysconf(_SC_NPROCESSORS_ONLN)`).
    var cores: Int
    /// `MemTotal` of `/proc/meminfo`, e.g. `23.4 GiB`.
    var memory: String
    /// `model name` of `/proc/cpuinfo`.
    var cpuModel: String
    /// The file system type of the work folder (`ext4`, `tmpfs`...), where the data and the
    /// embedded cluster live.
    var workFileSystem: String
    /// `uname -r`.
    var kernel: String

    /// This harness's build configuration.
    static var harnessBuild: String {
        #if DEBUG
            "debug"
        #else
            "release"
        #endif
    }

    /// Reads what the system says of itself.
    static func current(work: URL) -> Machine {
        let meminfo = (try? String(contentsOfFile: "/proc/meminfo", encoding: .utf8)) ?? ""
        let cpuinfo = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        var memory = "unknown"
        if let line = meminfo.split(separator: "\n").first(where: { $0.hasPrefix("MemTotal:") }),
            let kilobytes = line.split(separator: " ").dropFirst().first.flatMap({ Double($0) })
        {
            memory = String(format: "%.1f GiB", kilobytes / 1_048_576)
        }
        let model =
            cpuinfo.split(separator: "\n").first { $0.hasPrefix("model name") }
            .flatMap { $0.split(separator: ":", maxSplits: 1).last }
            .map { $0.trimmingCharacters(in: .whitespaces) } ?? "unknown"
        var name = utsname()
        uname(&name)
        let kernel = withUnsafeBytes(of: &name.release) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        return Machine(
            cores: sysconf(Int32(_SC_NPROCESSORS_ONLN)), memory: memory, cpuModel: model,
            workFileSystem: fileSystemType(of: work), kernel: kernel)
    }

    /// The type of the file system holding `url`: the longest mount point of `/proc/self/mounts`
    /// that contains it.
    private static func fileSystemType(of url: URL) -> String {
        let mounts = (try? String(contentsOfFile: "/proc/self/mounts", encoding: .utf8)) ?? ""
        let path = url.resolvingSymlinksInPath().path
        var best: (point: String, type: String)?
        for line in mounts.split(separator: "\n") {
            let fields = line.split(separator: " ")
            guard fields.count >= 3 else { continue }
            // Mount points escape spaces as \040.
            let point = fields[1].replacingOccurrences(of: "\\040", with: " ")
            let contains = point == "/" || path == point || path.hasPrefix(point + "/")
            if contains, point.count >= (best?.point.count ?? 0) { best = (point, String(fields[2])) }
        }
        return best?.type ?? "unknown"
    }

    /// The report's header lines.
    func header(postgres: String, bankdrop: URL, bankdropBuild: String, date: Date) -> [String] {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return [
            "machine: \(cores) cores (\(cpuModel)), \(memory) RAM, Linux \(kernel), work folder on \(workFileSystem)",
            "PostgreSQL \(postgres)",
            "bankdrop-bench \(Self.harnessBuild) build; bankdrop \(bankdropBuild) build (\(bankdrop.path))",
            "date: \(formatter.string(from: date))",
        ]
    }

    /// "debug" when `binary` sits in a debug build folder, else "release".
    static func build(of binary: URL) -> String {
        binary.resolvingSymlinksInPath().path.contains("/debug/") ? "debug" : "release"
    }
}
