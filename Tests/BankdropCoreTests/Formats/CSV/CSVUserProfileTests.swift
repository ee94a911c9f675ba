import BankdropCore
import Foundation
import Testing

@Suite("CSV user profiles")
struct CSVUserProfileTests {
    /// A profile as a user writes it under `[[csv.profiles]]` in bankdrop.toml, as the TOML
    /// decoder hands it over (the keys of docs/formats.md).
    static let musterbankJSON = """
        {
          "name": "musterbank",
          "institution": "Musterbank eG",
          "header_contains": ["Buchungstag", "Soll", "Haben"],
          "date_column": "Buchungstag",
          "value_date_column": "Valuta",
          "debit_column": "Soll",
          "credit_column": "Haben",
          "payee_column": "Empfänger/Auftraggeber",
          "description_columns": ["Verwendungszweck 1", "Verwendungszweck 2"],
          "description_separator": " ",
          "category_column": "Kategorie",
          "account_column": "Konto",
          "currency": "EUR",
          "bank_id_column": "Referenz",
          "date_format": "dd.MM.yy",
          "decimal_separator": ",",
          "delimiter": "\\t",
          "optional_columns": ["Kategorie"]
        }
        """

    static func musterbank() throws -> CSVProfile {
        try JSONDecoder().decode(CSVProfile.self, from: Data(musterbankJSON.utf8))
    }

    @Test("decodes from the documented keys")
    func decodes() throws {
        let profile = try Self.musterbank()
        #expect(profile.name == "musterbank")
        #expect(profile.debitColumn == "Soll")
        #expect(profile.creditColumn == "Haben")
        #expect(profile.descriptionColumns == ["Verwendungszweck 1", "Verwendungszweck 2"])
        #expect(profile.decimalSeparator == .comma)
        #expect(profile.delimiter == "\t")
        #expect(profile.bankIDColumn == "Referenz")
        #expect(profile.accountFromPreamble == false)
        #expect(profile.negateAmounts == false)
    }

    @Test("encodes and decodes to the same profile", arguments: CSVProfile.builtIn)
    func roundTrips(_ profile: CSVProfile) throws {
        let data = try JSONEncoder().encode(profile)
        #expect(try JSONDecoder().decode(CSVProfile.self, from: data) == profile)
    }

    @Test("the keys in docs/formats.md are the coding keys")
    func keys() throws {
        let data = try JSONEncoder().encode(try Self.musterbank())
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(object["date_column"] as? String == "Buchungstag")
        #expect(object["bank_id_column"] as? String == "Referenz")
        #expect(object["decimal_separator"] as? String == ",")
    }

    @Test(
        "rejects an unusable profile when decoding",
        arguments: [
            #"{"name": "x", "date_column": "d"}"#,
            #"{"name": "x", "date_column": "d", "amount_column": "a", "debit_column": "s"}"#,
            #"{"name": "x", "date_column": "d", "amount_column": "a", "date_format": "dd.MM"}"#,
            #"{"name": "x", "date_column": "d", "amount_column": "a", "delimiter": ";;"}"#,
            #"{"name": "x", "date_column": "d", "amount_column": "a", "decimal_separator": "'"}"#,
            #"{"name": "x", "amount_column": "a"}"#,
        ])
    func rejects(_ json: String) {
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(CSVProfile.self, from: Data(json.utf8)) }
    }

    @Test("reads a made-up bank's tab-separated layout with debit and credit columns", arguments: Fixture.chunkSizes)
    func readsMusterbank(chunkSize: Int) throws {
        let file = """
            Konto\tBuchungstag\tValuta\tEmpfänger/Auftraggeber\tVerwendungszweck 1\tVerwendungszweck 2\tSoll\tHaben\tReferenz
            4711\t31.12.24\t02.01.25\tStadtwerke\tAbschlag\tDezember\t1.234,56\t\tR-1
            4711\t01.01.25\t01.01.25\tArbeitgeber\tGehalt\t\t\t2.500,00\tR-2
            4711\t02.01.25\t02.01.25\tBank\tKorrektur\t\t0,00\t0,00\tR-3
            4712\t03.01.25\t03.01.25\tVermieter\tMiete\t\t-800,00\t\tR-4

            """
        let events = try Fixture.readCSV(
            Array(file.utf8), chunkSize: chunkSize, profiles: [try Self.musterbank()] + CSVProfile.builtIn)
        #expect(
            events == [
                Fixture.account("4711", currency: "EUR", institution: "Musterbank eG"),
                Fixture.transaction(
                    "2024-12-31", "-1234.56", payee: "Stadtwerke", description: "Abschlag Dezember", line: 2,
                    currency: "EUR",
                    valueDate: "2025-01-02", bankID: "R-1"),
                Fixture.transaction(
                    "2025-01-01", "2500.00", payee: "Arbeitgeber", description: "Gehalt", line: 3, currency: "EUR",
                    valueDate: "2025-01-01", bankID: "R-2"),
                Fixture.transaction(
                    "2025-01-02", "0.00", payee: "Bank", description: "Korrektur", line: 4, currency: "EUR",
                    valueDate: "2025-01-02",
                    bankID: "R-3"),
                Fixture.account("4712", currency: "EUR", institution: "Musterbank eG"),
                Fixture.transaction(
                    "2025-01-03", "-800.00", payee: "Vermieter", description: "Miete", line: 5, currency: "EUR",
                    valueDate: "2025-01-03",
                    bankID: "R-4"),
            ])
    }

    @Test("a row with both debit and credit is an error")
    func debitAndCredit() throws {
        let file =
            "Konto\tBuchungstag\tValuta\tEmpfänger/Auftraggeber\tVerwendungszweck 1\tVerwendungszweck 2\tSoll\tHaben\tReferenz\n"
            + "4711\t31.12.24\t02.01.25\tX\tY\t\t1,00\t2,00\tR-1\n"
        let error = try #require(Fixture.csvError(Array(file.utf8), profiles: [try Self.musterbank()]))
        #expect(error.line == 2)
        #expect(error.field == "Soll")
        #expect(error.value == "1,00")
    }

    @Test("user profiles are tried before the built-in ones")
    func userProfileFirst() throws {
        // The header also satisfies the generic profile; the user's profile reads `amount` negated.
        let mine = CSVProfile(
            name: "card", dateColumn: "date", amountColumn: "amount", payeeColumn: "description",
            dateFormat: "yyyy-MM-dd",
            negateAmounts: true)
        var reader = CSVReader(
            source: InMemoryByteSource("date,amount,payee,description\n2025-01-01,12.00,A,Shop\n"),
            profiles: [mine] + CSVProfile.builtIn)
        var events: [StatementEvent] = []
        while let event = try reader.next() { events.append(event) }
        #expect(reader.profile?.name == "card")
        #expect(events == [Fixture.account(), Fixture.transaction("2025-01-01", "-12.00", payee: "Shop", line: 2)])
    }

    @Test("without the user profile, the same header falls back to a built-in one")
    func builtInFallback() throws {
        var reader = CSVReader(source: InMemoryByteSource("date,amount,payee,description\n"))
        _ = try reader.next()
        #expect(reader.profile?.name == "generic")
    }
}
