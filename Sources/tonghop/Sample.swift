import ArgumentParser
import Foundation
import TongHop

struct Sample: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Tạo một hộp thư mẫu lớn (cho đo tốc độ và thử tải), giống nhau với cùng một seed.",
        discussion: """
            --scale province: các đơn vị của kế hoạch. --scale national: 63 tỉnh, khoảng 700 huyện, \
            kèm thư mục kế hoạch riêng trong OUT/plan. Khoảng 5% số tệp có lỗi, 1% không nhận diện được, \
            1% là bản sao.
            """
    )

    @OptionGroup var planOptions: PlanOptions

    @Option(name: .long, help: "province hoặc national.")
    var scale: SampleInboxOptions.Scale = .national

    @Option(name: .long, help: "Số tệp cần tạo.")
    var files = 10_000

    @Option(name: .long, help: "Hạt giống ngẫu nhiên.")
    var seed: UInt64 = 2019

    @Option(name: .long, help: "Biến thể: cùng các tệp, cùng tên, số liệu khác (để thử gửi lại).")
    var variant: UInt64 = 0

    @Option(name: .long, help: "Thư mục ghi ra (tạo OUT/inbox và, với national, OUT/plan).")
    var out: String

    func run() throws {
        let plan = try planOptions.load()
        var options = SampleInboxOptions()
        options.scale = scale
        options.files = files
        options.seed = seed
        options.variant = variant
        let start = Date()
        let s = try SampleInbox.generate(plan: plan, options: options, out: out)
        let seconds = Date().timeIntervalSince(start)
        print("\(s.files) tệp cho \(s.units) đơn vị trong \(s.inbox) (\(s.valid) hợp lệ, \(s.invalid) có lỗi, "
              + "\(s.unidentified) không nhận diện được, \(s.duplicates) bản sao) — \(String(format: "%.1f", seconds)) giây")
        print("Kế hoạch: \(s.planFolder)")
    }
}

extension SampleInboxOptions.Scale: ExpressibleByArgument {}
