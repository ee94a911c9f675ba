import Testing

@testable import BankdropCore

@Suite("Connection string redaction")
struct ConnectionStringTests {
    @Test(
        "passwords are replaced by ***",
        arguments: [
            ("postgres://bob:s3cret@db.example:5432/money", "postgres://bob:***@db.example:5432/money"),
            ("postgresql://bob:s3cret@db/money?sslmode=require", "postgresql://bob:***@db/money?sslmode=require"),
            ("POSTGRES://bob:s3cret@db/money", "POSTGRES://bob:***@db/money"),
            ("postgres://bob:p@ss/w0rd@db/money", "postgres://bob:***@db/money"),
            (
                "postgres://bob@db/money?password=s3cret&sslmode=require",
                "postgres://bob@db/money?password=***&sslmode=require"
            ),
            ("postgres://db/money?user=bob&sslpassword=s3cret", "postgres://db/money?user=bob&sslpassword=***"),
            ("postgres://bob@db/money", "postgres://bob@db/money"),
            ("postgres:///money?host=/run/postgresql", "postgres:///money?host=/run/postgresql"),
            ("host=db user=bob password=s3cret dbname=money", "host=db user=bob password=*** dbname=money"),
            ("host=db password = 's3 cr\\'et' dbname=money", "host=db password = *** dbname=money"),
            ("password=s3cret", "password=***"),
            ("PASSWORD=s3cret host=db", "PASSWORD=*** host=db"),
            ("host=db sslpassword=s3cret", "host=db sslpassword=***"),
            ("host=/run/postgresql dbname=money", "host=/run/postgresql dbname=money"),
            ("service=bankdrop", "service=bankdrop"),
            ("host=db password='unterminated s3cret", "host=db password=***"),
            ("host=db password", "host=db password"),
            ("host=db =s3cret", "host=db ***"),
        ])
    func redacted(_ input: String, _ expected: String) {
        let result = ConnectionString.redacted(input)
        #expect(result == expected)
        #expect(!result.contains("s3"))
    }

    @Test("a configuration never shows its database password")
    func configurationDescriptions() {
        let configuration = BankdropConfiguration(database: .init(url: "postgres://bob:s3cret@db/money"))
        var dumped = ""
        dump(configuration, to: &dumped)
        for text in [
            String(describing: configuration), String(reflecting: configuration), dumped,
            String(describing: configuration.database), String(reflecting: configuration.database),
            "\(ConfigurationOverrides(databaseURL: "host=db password=s3cret"))",
        ] {
            #expect(!text.contains("s3cret"), "\(text)")
        }
        #expect(String(describing: configuration).contains("postgres://bob:***@db/money"))
        #expect(BankdropConfiguration().database.description == "(embedded)")
    }
}
