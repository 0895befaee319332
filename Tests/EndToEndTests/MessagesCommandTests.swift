import Foundation
import Testing

/// `tonghop status --messages`: the short messages of the latest report, ready to paste.
@Suite struct MessagesCommandTests {
    @Test func statusPrintsTheMessagesOfTheLatestReport() throws {
        let work = workFolder()
        _ = try Binary.run(runArguments(work))
        let r = try Binary.run(["status", "--messages", "--out", work + "/reports", "--db", work + "/tonghop.sqlite"])
        #expect(r.status == 0)
        #expect(r.stdout.contains("── 574 Huyện Diên Khánh ("))
        #expect(r.stdout.contains("Kính gửi Hội LHPN huyện Diên Khánh. Đến ngày 05/12/2019, Hội Liên hiệp Phụ nữ tỉnh Khánh Hòa chưa nhận được:"))
        #expect(r.stdout.contains("Chi tiết: trang góp ý 2019-11/phan-hoi/570.html."))
        // A district with nothing owed and nothing to fix gets no message.
        #expect(!r.stdout.contains("── 568 "))
        let none = try Binary.run(["status", "--messages", "--out", work + "/nowhere", "--db", work + "/tonghop.sqlite"])
        #expect(none.status != 0)
        #expect(none.stderr.contains("chưa có báo cáo trong"))
    }
}
