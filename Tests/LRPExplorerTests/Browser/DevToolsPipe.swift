import Foundation

/// Headless Chromium driven through the DevTools protocol over `--remote-debugging-pipe`: JSON messages
/// separated by NUL bytes, written to the browser's file descriptor 3 and read from its descriptor 4 (which a
/// shell maps onto this process's pipes). Needs no WebSocket client and no npm package.
final class Chromium {
    private let process = Process()
    private let toBrowser = Pipe()
    private let fromBrowser = Pipe()
    private var buffer = Data()
    private var nextID = 0
    /// The page's session, once attached.
    private var session: String?
    private let width: Int
    private let height: Int

    /// Starts Debian's `chromium` with a fresh profile in `profile`, `width` × `height` pixels.
    init(profile: URL, width: Int, height: Int) throws {
        (self.width, self.height) = (width, height)
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "exec chromium --headless --no-sandbox --disable-gpu --no-first-run --remote-debugging-pipe "
            + "--user-data-dir='\(profile.path)' --window-size=\(width),\(height) about:blank 3<&0 4>&1 0</dev/null 1>/dev/null 2>/dev/null"]
        process.standardInput = toBrowser
        process.standardOutput = fromBrowser
        try process.run()
    }

    /// Whether a `chromium` executable is on the path.
    static var isInstalled: Bool {
        (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").contains { folder in
            FileManager.default.isExecutableFile(atPath: "\(folder)/chromium")
        }
    }

    /// Opens `url` in the first page target and attaches to it.
    func open(_ url: String) throws {
        let targets = try send("Target.getTargets", [:], toPage: false)
        let infos = targets["targetInfos"] as? [[String: Any]] ?? []
        guard let page = infos.first(where: { $0["type"] as? String == "page" })?["targetId"] as? String else {
            throw BrowserError("no page target in \(infos)")
        }
        let attached = try send("Target.attachToTarget", ["targetId": page, "flatten": true], toPage: false)
        session = attached["sessionId"] as? String
        _ = try send("Emulation.setDeviceMetricsOverride", ["width": width, "height": height, "deviceScaleFactor": 1, "mobile": false])
        _ = try send("Page.enable")
        _ = try send("Page.navigate", ["url": url])
    }

    /// Evaluates JavaScript in the page (awaiting a promise it returns) and gives back its JSON value.
    @discardableResult
    func evaluate(_ expression: String) throws -> Any? {
        let result = try send("Runtime.evaluate", ["expression": expression, "awaitPromise": true, "returnByValue": true])
        if let exception = result["exceptionDetails"] as? [String: Any] {
            let description = (exception["exception"] as? [String: Any])?["description"] as? String
            throw BrowserError("page script failed: \(description ?? "\(exception)")")
        }
        return (result["result"] as? [String: Any])?["value"]
    }

    /// Waits (polling every 20 ms in the page, at most `seconds`) until the JavaScript `condition` is truthy, and
    /// returns its value.
    @discardableResult
    func wait(for condition: String, seconds: Double = 20) throws -> Any? {
        let value = try evaluate("""
            new Promise((resolve, reject) => {
              const deadline = performance.now() + \(seconds * 1000);
              const check = () => {
                let value; try { value = (\(condition)); } catch (error) { value = null; }
                if (value) resolve(value);
                else if (performance.now() > deadline) reject(new Error('timed out waiting for: ' + \(jsonString(condition))));
                else setTimeout(check, 20);
              };
              check();
            })
            """)
        return value
    }

    /// A mouse event at page coordinates (`mousePressed`, `mouseMoved`, `mouseReleased`) with the left button.
    func mouse(_ type: String, x: Double, y: Double) throws {
        _ = try send("Input.dispatchMouseEvent", ["type": type, "x": x, "y": y, "button": "left", "buttons": type == "mouseReleased" ? 0 : 1, "clickCount": 1])
    }

    /// Clicks the center of the element `selector` with the mouse.
    func click(_ selector: String) throws {
        let (x, y) = try center(of: selector)
        try mouse("mousePressed", x: x, y: y)
        try mouse("mouseReleased", x: x, y: y)
    }

    /// The center of the element `selector`, scrolled into view, in page coordinates.
    func center(of selector: String) throws -> (Double, Double) {
        let box = try evaluate("""
            (() => { const node = document.querySelector(\(jsonString(selector))); node.scrollIntoView({ block: 'center' });
                     const r = node.getBoundingClientRect(); return [r.left, r.top, r.width, r.height]; })()
            """) as? [Double] ?? []
        guard box.count == 4 else { throw BrowserError("no element \(selector)") }
        return (box[0] + box[2] / 2, box[1] + box[3] / 2)
    }

    /// Types `text` into the focused element.
    func type(_ text: String) throws {
        _ = try send("Input.insertText", ["text": text])
    }

    /// Presses Enter in the focused element.
    func pressEnter() throws {
        for type in ["keyDown", "keyUp"] {
            _ = try send("Input.dispatchKeyEvent", ["type": type, "key": "Enter", "code": "Enter", "windowsVirtualKeyCode": 13, "text": type == "keyDown" ? "\r" : ""])
        }
    }

    /// A PNG of the window, scrolled to the top.
    func screenshot() throws -> Data {
        try evaluate("window.scrollTo(0, 0)")
        let result = try send("Page.captureScreenshot", ["format": "png"])
        guard let base64 = result["data"] as? String, let data = Data(base64Encoded: base64) else { throw BrowserError("no screenshot") }
        return data
    }

    func close() {
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
    }

    /// Sends a command and waits for its answer, skipping the events in between.
    private func send(_ method: String, _ parameters: [String: Any] = [:], toPage: Bool = true) throws -> [String: Any] {
        nextID += 1
        var message: [String: Any] = ["id": nextID, "method": method, "params": parameters]
        if toPage, let session { message["sessionId"] = session }
        toBrowser.fileHandleForWriting.write(try JSONSerialization.data(withJSONObject: message) + Data([0]))
        while true {
            let answer = try readMessage()
            guard answer["id"] as? Int == nextID else { continue }
            if let error = answer["error"] as? [String: Any] { throw BrowserError("\(method): \(error)") }
            return answer["result"] as? [String: Any] ?? [:]
        }
    }

    private func readMessage() throws -> [String: Any] {
        while true {
            if let end = buffer.firstIndex(of: 0) {
                let message = buffer[buffer.startIndex ..< end]
                buffer = Data(buffer[(end + 1)...])
                return try JSONSerialization.jsonObject(with: message) as? [String: Any] ?? [:]
            }
            let more = fromBrowser.fileHandleForReading.availableData
            guard !more.isEmpty else { throw BrowserError("chromium closed the DevTools pipe") }
            buffer.append(more)
        }
    }
}

struct BrowserError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// `text` as a JavaScript string literal.
func jsonString(_ text: String) -> String {
    String(decoding: try! JSONSerialization.data(withJSONObject: [text]), as: UTF8.self).dropFirst().dropLast().description
}
