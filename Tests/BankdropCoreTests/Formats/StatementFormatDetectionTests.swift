import BankdropCore
import Foundation
import Testing

@Suite("Statement format detection")
struct StatementFormatDetectionTests {
    @Test("detects every real sample from its first 4 KiB", .enabled(if: Samples.available))
    func samples() throws {
        let folders: [String: StatementFormat] = [
            "ofx": .ofx, "camt053": .camt053, "mt940": .mt940, "qif": .qif, "csv": .csv,
        ]
        var seen = 0
        for (folder, format) in folders {
            let names = try FileManager.default.contentsOfDirectory(
                atPath: Samples.folder.appendingPathComponent(folder).path)
            for name in names.sorted() {
                let bytes = try Samples.bytes("\(folder)/\(name)")
                let ext = (name as NSString).pathExtension
                #expect(
                    StatementFormat.detect(prefix: Array(bytes.prefix(4096)), fileExtension: ext) == format,
                    "\(folder)/\(name)")
                // Content alone decides, whatever the name says.
                #expect(
                    StatementFormat.detect(prefix: Array(bytes.prefix(4096)), fileExtension: nil) == format,
                    "\(folder)/\(name) without extension")
                seen += 1
            }
        }
        #expect(seen >= 20)
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var bytes: [UInt8]
        var fileExtension: String?
        var format: StatementFormat?
        var testDescription: String { name }

        init(_ name: String, _ text: String, _ fileExtension: String?, _ format: StatementFormat?) {
            self.init(name, Array(text.utf8), fileExtension, format)
        }

        init(_ name: String, _ bytes: [UInt8], _ fileExtension: String?, _ format: StatementFormat?) {
            self.name = name
            self.bytes = bytes
            self.fileExtension = fileExtension
            self.format = format
        }
    }

    static let cases: [Case] = [
        Case(
            "OFX 1.x header after BOM and blank lines", [0xEF, 0xBB, 0xBF] + Array("\r\n\nOFXHEADER:100\n".utf8), nil,
            .ofx),
        Case("OFX header in lower case", "ofxheader:100\ndata:ofxsgml\n", "txt", .ofx),
        Case("OFX 2.x processing instruction", "<?xml version=\"1.0\"?>\n<?OFX OFXHEADER=\"200\"?>\n<OFX>", nil, .ofx),
        Case("bare <OFX> without header", "\r\n\r\n<OFX>\r\n<SIGNONMSGSRSV1>", nil, .ofx),
        Case("QFX extension with OFX content", "OFXHEADER:100", "QFX", .ofx),
        Case(
            "camt.053 namespace",
            "<?xml version=\"1.0\"?><Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.04\">",
            "txt", .camt053),
        Case(
            "camt.052 with .xml extension goes to the CAMT reader to be refused",
            "<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.052.001.02\">", "xml", .camt053),
        Case("other XML without extension", "<?xml version=\"1.0\"?><html></html>", nil, nil),
        Case("MT940 starting with :20:", ":20:STARTUMS\n:25:1/2\n", "txt", .mt940),
        Case("MT940 after SOH", "\u{1}\n:20:ST1\n:25:PL1\n", nil, .mt940),
        Case("MT940 in SWIFT blocks", "{1:F01TESTDEFFAXXX0000000000}{2:O940}{4:\n:20:X\n", nil, .mt940),
        Case(
            "MT940 after bank header lines", "ABNANL2A\n940\nABNANL2A\n:20:ABN AMRO BANK NV\n:25:517852257\n", nil,
            .mt940),
        Case("MT940 :60F: on its own", "\n:60F:C240101EUR1,00\n", nil, .mt940),
        Case("QIF !Type", "!Type:Bank\r\nD03.11.25\r\nT-5.00\r\n^\r\n", nil, .qif),
        Case("QIF !Account", "!Account\nNChecking\n^\n", nil, .qif),
        Case("QIF !Option", "!Option:AutoSwitch\n", nil, .qif),
        Case("CSV by content", "Date;Amount;Text\n01.01.2024;-5,00;Coffee\n", nil, .csv),
        Case("tab-separated text", "Date\tAmount\n2024-01-01\t5\n", "tsv", .csv),
        Case(
            "Latin-1 CSV",
            [0x42, 0x75, 0x63, 0x68, 0x75, 0x6E, 0x67, 0x3B, 0x57, 0xE4, 0x68, 0x72, 0x75, 0x6E, 0x67, 0x0A], nil, .csv),
        Case("text without delimiter and unknown extension", "hello world\nsecond line\n", "md", nil),
        Case("text without delimiter but .csv", "Amount\n5\n", "csv", .csv),
        Case("extension breaks the tie for plain text", "just some words", ".sta", .mt940),
        Case(
            "PDF-like binary prefix",
            Array("%PDF-1.7\n%".utf8) + [0xE2, 0xE3, 0xCF, 0xD3, 0x0A]
                + Array("1 0 obj\n<< /Type /Catalog >>\nstream\n".utf8)
                + [0x78, 0x9C, 0x00, 0x01, 0x02, 0x03, 0xFF], "csv", nil),
        Case("PDF magic alone", "%PDF-1.4\n%comment\n", "ofx", nil),
        Case("ZIP (xlsx)", [0x50, 0x4B, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00], "csv", nil),
        Case("control bytes", [0x02, 0x05, 0x06, 0x07, 0x41, 0x3B, 0x42], "csv", nil),
        Case("UTF-16LE MT940 with BOM", [0xFF, 0xFE, 0x3A, 0x00, 0x32, 0x00, 0x30, 0x00, 0x3A, 0x00], nil, .mt940),
        Case("UTF-16BE CSV with BOM", [0xFE, 0xFF, 0x00, 0x41, 0x00, 0x3B, 0x00, 0x42, 0x00, 0x0A], nil, .csv),
        Case("NUL bytes without BOM", [0x3A, 0x00, 0x32, 0x00, 0x30, 0x00, 0x3A, 0x00], "sta", nil),
        Case("empty", [UInt8](), "csv", nil),
        Case("only a BOM", [0xEF, 0xBB, 0xBF], "csv", nil),
    ]

    @Test("detects from content, then extension", arguments: cases)
    func detect(_ item: Case) {
        #expect(StatementFormat.detect(prefix: item.bytes, fileExtension: item.fileExtension) == item.format)
    }
}
