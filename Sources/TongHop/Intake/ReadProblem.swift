// Intake: turning a file the readers refuse into words a secretariat clerk can act on.
import Foundation
import Sheets

/// Why a file could not be read, as a finding code and a message with a fix hint.
public struct ReadProblem: Sendable, Equatable {
    /// `unsupported-format` when the file is of a kind we do not read; `unreadable-file` when
    /// it is damaged, hostile or over a limit.
    public var code: String
    public var file: String?
    public var entry: String?
    public var cell: String?
    public var vi: String
    public var en: String

    public func message(_ language: Language) -> String { language == .vi ? vi : en }

    public init(_ error: SheetsError) {
        file = error.file
        entry = error.entry
        cell = error.cell
        let part = error.entry.map { "phần \($0) của tệp" } ?? "tệp"
        let partEn = error.entry.map { "part \($0) of the file" } ?? "the file"
        let resave = "Cách sửa: mở tệp bằng Excel, chọn Tệp › Lưu như (File › Save As), kiểu \"Sổ làm việc Excel (*.xlsx)\", rồi gửi lại tệp .xlsx mới."
        let resaveEn = "To fix: open the file in Excel, choose File › Save As, type \"Excel Workbook (*.xlsx)\", and send the new .xlsx file."
        switch error.kind {
        case .unsupported(let kind):
            code = "unsupported-format"
            switch kind {
            case .xls:
                vi = "Tệp là định dạng Excel 97–2003 (.xls) cũ, chương trình không đọc được. " + resave
                en = "The file is an old Excel 97–2003 workbook (.xls), which is not read. " + resaveEn
            case .encrypted:
                vi = "Tệp được đặt mật khẩu nên không đọc được. Cách sửa: mở tệp bằng Excel, vào Tệp › Thông tin › Bảo vệ sổ làm việc › Mã hóa bằng mật khẩu, xóa mật khẩu, lưu lại rồi gửi lại."
                en = "The workbook is password-protected and cannot be read. To fix: open it in Excel, File › Info › Protect Workbook › Encrypt with Password, clear the password, save and send it again."
            case .ods:
                vi = "Tệp là bảng tính OpenDocument (.ods). Cách sửa: mở tệp bằng LibreOffice Calc hoặc Excel, chọn Lưu như, kiểu \"Excel 2007-365 (.xlsx)\", rồi gửi lại tệp .xlsx."
                en = "The file is an OpenDocument spreadsheet (.ods). To fix: open it in LibreOffice Calc or Excel, Save As \"Excel 2007-365 (.xlsx)\" and send the .xlsx file."
            case .xlsb:
                vi = "Tệp là sổ làm việc nhị phân Excel (.xlsb). " + resave
                en = "The file is an Excel binary workbook (.xlsb). " + resaveEn
            case .zipWithoutWorkbook:
                vi = "Tệp là tệp nén ZIP nhưng không phải sổ làm việc Excel. Cách sửa: gửi đúng tệp báo cáo .xlsx; nếu tệp .xlsx nằm trong tệp nén này thì giải nén và gửi tệp đó."
                en = "The file is a ZIP archive, not an Excel workbook. To fix: send the report's .xlsx file; if that file is inside this archive, unzip it and send it."
            case .markup:
                vi = "Tệp là trang web (HTML) hoặc tệp XML được đặt tên như tệp Excel, không phải sổ làm việc thật. " + resave
                en = "The file is a web page (HTML) or XML file named like an Excel file, not a real workbook. " + resaveEn
            case .binary:
                vi = "Tệp không phải bảng tính Excel (.xlsx) hay tệp CSV. Cách sửa: kiểm tra lại tệp đính kèm và gửi đúng tệp báo cáo dạng .xlsx."
                en = "The file is neither an Excel workbook (.xlsx) nor a CSV file. To fix: check the attachment and send the report as .xlsx."
            }
        case .corrupt(let detail):
            code = "unreadable-file"
            vi = "Tệp bị hỏng (\(detail)), có thể do tải về hoặc sao chép chưa trọn vẹn. Cách sửa: mở thử bằng Excel; nếu Excel đề nghị sửa chữa thì đồng ý rồi lưu lại thành tệp mới; nếu không mở được, đề nghị đơn vị gửi lại tệp."
            en = "The file is damaged (\(detail)), perhaps cut short while downloading or copying. To fix: open it in Excel and let Excel repair it, then save a new copy; otherwise ask the sender for the file again."
        case .malformedXML(let line, let detail):
            code = "unreadable-file"
            vi = "Nội dung \(part) bị hỏng ở dòng \(line) (\(detail)). " + resave
            en = "The content of \(partEn) is damaged at line \(line) (\(detail)). " + resaveEn
        case .doctype:
            code = "unreadable-file"
            vi = "\(part.prefix(1).uppercased() + part.dropFirst()) có khai báo DOCTYPE mà sổ làm việc Excel thật không bao giờ có; tệp bị từ chối để đảm bảo an toàn. " + resave
            en = "\(partEn.prefix(1).uppercased() + partEn.dropFirst()) declares a DOCTYPE, which real Excel workbooks never do; refused for safety. " + resaveEn
        case .limitExceeded(let limit, let raw):
            code = "unreadable-file"
            // Each language groups digits its own way: 1.000 in Vietnamese, 1,000 in English.
            let value = VietnameseFormat.number(Double(raw))
            let valueEn = ReadProblem.englishNumber(raw)
            let what: (String, String)
            switch limit {
            case .entryBytes: what = ("dung lượng giải nén của một phần vượt \(value) byte", "one part inflates to more than \(valueEn) bytes")
            case .totalBytes: what = ("tổng dung lượng giải nén vượt \(value) byte", "the parts inflate to more than \(valueEn) bytes in all")
            case .inflateRatio: what = ("tỷ lệ nén lớn hơn \(value) lần (dấu hiệu tệp nén độc hại)", "it is compressed more than \(valueEn) times (the mark of a zip bomb)")
            case .entryCount: what = ("tệp có hơn \(value) phần", "the file has more than \(valueEn) parts")
            case .cellCount: what = ("trang tính có hơn \(value) ô có dữ liệu", "a sheet has more than \(valueEn) cells with values")
            case .cellText: what = ("một ô có nội dung dài hơn \(value) byte (Excel chỉ cho 32.767 ký tự)", "one cell holds more than \(valueEn) bytes (Excel allows 32,767 characters)")
            case .fileBytes: what = ("tệp lớn hơn \(value) byte", "the file is larger than \(valueEn) bytes")
            case .sheetCount: what = ("sổ làm việc có hơn \(value) trang", "the workbook has more than \(valueEn) sheets")
            }
            vi = "Tệp vượt giới hạn an toàn [\(limit.rawValue)]: \(what.0), ở \(part)\(error.cell.map { ", ô \($0)" } ?? ""). Cách sửa: xóa các trang, hàng, ô thừa rồi lưu lại; báo cáo của một đơn vị không cần lớn như vậy."
            en = "The file exceeds a safety limit [\(limit.rawValue)]: \(what.1), in \(partEn)\(error.cell.map { ", cell \($0)" } ?? ""). To fix: delete unneeded sheets, rows and cells and save again; a unit's report is never this large."
        case .unsafeReference(let target):
            code = "unreadable-file"
            vi = "Tệp có liên kết trỏ ra ngoài tệp (\(target)); bị từ chối để đảm bảo an toàn. " + resave
            en = "The file has a link that points outside it (\(target)); refused for safety. " + resaveEn
        case .missingPart(let p):
            code = "unreadable-file"
            vi = "Tệp thiếu phần \(p) nên không đọc được trang tính (tệp bị hỏng, hoặc chương trình tạo ra nó ghi thiếu). Cách sửa: mở tệp gốc bằng Excel, chọn Tệp › Lưu như (File › Save As), kiểu \"Sổ làm việc Excel (*.xlsx)\", rồi gửi lại; nếu Excel không mở được, đề nghị đơn vị gửi lại tệp."
            en = "The file lacks its part \(p), so the sheet cannot be read (the file is damaged, or the program that made it left the part out). To fix: open the original in Excel, choose File › Save As, type \"Excel Workbook (*.xlsx)\", and send it again; if Excel cannot open it, ask the sender for the file again."
        case .unlocatedSheet(let name, let id, let detail):
            code = "unreadable-file"
            if id.isEmpty {
                vi = "Trang \"\(name)\" không ghi phần nào chứa nó, trong khi phần \(detail) của tệp không thuộc trang nào: không biết dữ liệu nào là của trang nào (tệp bị hỏng). " + resave
                en = "Sheet \"\(name)\" names no part of the file, while part \(detail) belongs to no sheet: which data belongs to which sheet cannot be known (the file is damaged). " + resaveEn
            } else {
                vi = "Không tìm thấy phần chứa trang \"\(name)\": liên kết \(id) không có trong \(detail) (tệp bị hỏng). " + resave
                en = "The part holding sheet \"\(name)\" cannot be found: relationship \(id) is not in \(detail) (the file is damaged). " + resaveEn
            }
        case .badCellReference(let r):
            code = "unreadable-file"
            vi = "Tệp ghi một địa chỉ ô không hợp lệ (\(r)) ở \(part). " + resave
            en = "The file names an invalid cell address (\(r)) in \(partEn). " + resaveEn
        case .badSharedString(let i):
            code = "unreadable-file"
            vi = "Ô \(error.cell ?? "?") trỏ tới chuỗi văn bản số \(i) không có trong tệp (tệp bị hỏng). " + resave
            en = "Cell \(error.cell ?? "?") refers to text number \(i), which the file does not have (the file is damaged). " + resaveEn
        case .undecodableText(let detail):
            code = "unreadable-file"
            vi = "Không đọc được chữ trong tệp văn bản (\(detail)). Cách sửa: mở tệp bằng Excel, chọn Lưu như, kiểu \"CSV UTF-8\" hoặc \"Sổ làm việc Excel (*.xlsx)\", rồi gửi lại."
            en = "The text file cannot be decoded (\(detail)). To fix: open it in Excel, Save As \"CSV UTF-8\" or \"Excel Workbook (*.xlsx)\", and send it again."
        case .io(let detail):
            code = "unreadable-file"
            vi = "Không mở được tệp: \(detail). Cách sửa: kiểm tra tệp còn nằm trong thư mục và có quyền đọc."
            en = "The file cannot be opened: \(detail). To fix: check that the file is still there and can be read."
        case .noSuchSheet(let s):
            code = "unreadable-file"
            vi = "Tệp không có trang \"\(s)\"."
            en = "The file has no sheet \"\(s)\"."
        }
    }

    /// `1000` → `1,000`: the digit grouping of the English messages.
    static func englishNumber(_ n: Int) -> String {
        let digits = String(n.magnitude)
        var out = ""
        for (i, ch) in digits.enumerated() {
            if i > 0, (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(ch)
        }
        return (n < 0 ? "-" : "") + out
    }
}
