import Foundation
import Testing

/// The explorer in a real browser: `lrp serve` on the demo, the page in headless Chromium driven with mouse and
/// keyboard events through the DevTools protocol. Runs with `make test-browser` (LRP_BROWSER_TEST=1), which
/// also names where the screenshot goes (LRP_SCREENSHOT).
@Suite(.enabled(if: ProcessInfo.processInfo.environment["LRP_BROWSER_TEST"] != nil, "make test-browser runs it"))
struct BrowserTests {
    /// How many slider moves are timed.
    static let sliderMoves = 10

    @Test(.timeLimit(.minutes(2))) func choosingAnImageAndMovingASliderDrawsANewHeatmap() throws {
        try #require(Chromium.isInstalled, "chromium is not installed (Debian: apt-get install chromium)")
        let server = try ServeProcess(arguments: ["--model", DemoExplorer.model.path, "--input", DemoExplorer.images.path])
        defer { server.stop() }
        let profile = FileManager.default.temporaryDirectory.appendingPathComponent("lrp-browser-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: profile) }
        let browser = try Chromium(profile: profile, width: 1400, height: 1100)
        defer { browser.close() }
        // a hung browser or server ends the test instead of blocking it
        let watchdog = DispatchWorkItem { browser.close(); server.stop() }
        DispatchQueue.global().asyncAfter(deadline: .now() + 100, execute: watchdog)
        defer { watchdog.cancel() }

        try browser.open(server.address)
        let heatmapA = ".config[data-config=A] .heatmap"
        try browser.wait(for: "document.querySelectorAll('.thumb').length === 4 && document.querySelector('\(heatmapA)').dataset.version >= 1")

        // choose the cat: both configurations explain it
        let before = try browser.evaluate("document.querySelector('\(heatmapA)').src") as? String
        let shown = try browser.evaluate("Number(document.querySelector('\(heatmapA)').dataset.version)") as? Int ?? 0
        try browser.click(".thumb[data-index='1']")
        try browser.wait(for: "document.querySelector('#input-caption').textContent.startsWith('cat.png') && Number(document.querySelector('\(heatmapA)').dataset.version) > \(shown) && document.querySelector('\(heatmapA)').dataset.spec")
        let catHeatmap = try browser.evaluate("document.querySelector('\(heatmapA)').src") as? String
        #expect(catHeatmap != before, "the cat's heatmap differs from the first input's")
        #expect(try browser.evaluate("document.querySelector('.thumb.selected').dataset.index") as? String == "1")

        // move the γ slider of configuration A's first range with the mouse, several times, timing each release
        let spec = ".config[data-config=A] .spec"
        let slider = ".config[data-config=A] .ranges input[type=range]"
        var latencies: [Double] = [], serverTimes: [Double] = []
        for move in 0..<Self.sliderMoves {
            let oldSpec = try browser.evaluate("document.querySelector('\(spec)').value") as? String ?? ""
            let oldPicture = try browser.evaluate("document.querySelector('\(heatmapA)').src") as? String
            let version = try browser.evaluate("Number(document.querySelector('\(heatmapA)').dataset.version)") as? Int ?? 0
            try browser.evaluate("delete document.querySelector('\(heatmapA)').dataset.latencyMs")   // set again by this move's release
            let (x, y) = try browser.center(of: slider)
            let width = try browser.evaluate("document.querySelector('\(slider)').getBoundingClientRect().width") as? Double ?? 100
            let (from, to) = move % 2 == 0 ? (x - width * 0.3, x + width * 0.15 + Double(move)) : (x + width * 0.3, x - width * 0.2 - Double(move))
            try browser.mouse("mousePressed", x: from, y: y)
            for step in 1...5 { try browser.mouse("mouseMoved", x: from + (to - from) * Double(step) / 5, y: y) }
            try browser.mouse("mouseReleased", x: to, y: y)
            try browser.wait(for: "(() => { const image = document.querySelector('\(heatmapA)'); return Number(image.dataset.version) > \(version) && image.dataset.spec === document.querySelector('\(spec)').value && image.dataset.latencyMs && !document.querySelector('.config[data-config=A]').querySelector('.config-error').textContent; })()")
            let newSpec = try browser.evaluate("document.querySelector('\(spec)').value") as? String ?? ""
            #expect(newSpec != oldSpec && newSpec.hasPrefix("1-4=gamma:") && newSpec.hasSuffix(";5-8=epsilon:0.25;9=zero"), "\(oldSpec) → \(newSpec)")
            #expect(try browser.evaluate("document.querySelector('\(heatmapA)').src") as? String != oldPicture, "a new heatmap arrived")
            let latency = try browser.wait(for: "Number(document.querySelector('\(heatmapA)').dataset.latencyMs)") as? Double ?? .nan
            latencies.append(latency)
            serverTimes.append(Double(try browser.evaluate("document.querySelector('\(heatmapA)').dataset.serverMs") as? String ?? "") ?? .nan)
        }
        print("slider release → new heatmap over \(latencies.count) moves: \(summary(latencies)); of which the server's explanation and picture: \(summary(serverTimes))")

        // a malformed composite typed into B is named on the page; the server keeps serving
        let configB = ".config[data-config=B]"
        try browser.click("\(configB) .spec")
        try browser.evaluate("document.querySelector('\(configB) .spec').select()")
        try browser.type("1-4=gamma:x;5-9=zero")
        try browser.pressEnter()
        let message = try browser.wait(for: "document.querySelector('\(configB) .config-error:not([hidden])')?.textContent") as? String ?? ""
        #expect(message.contains("'x'"), "\(message)")
        try browser.click("\(configB) .presets button[title='epsilon-alpha2-beta1']")
        try browser.wait(for: "document.querySelector('\(configB) .config-error').hidden && document.querySelector('\(configB) .heatmap').dataset.spec === 'epsilon-alpha2-beta1'")
        #expect(server.isRunning)

        // the AOPC of both configurations, with its progress bar
        try browser.click("#aopc-run")
        let rows = try browser.wait(for: "document.querySelector('#aopc-progress').hidden && document.querySelectorAll('#aopc-table tr').length === 3 && [...document.querySelectorAll('#aopc-table tr')].slice(1).map(row => row.lastChild.textContent)") as? [String]
        #expect(rows == ["4", "4"])

        // the view's export draws the input and both heatmaps on a canvas; the page reports no error
        try browser.click("#export-png")
        try browser.evaluate("new Promise(resolve => setTimeout(resolve, 300))")
        #expect(try browser.evaluate("document.querySelector('#page-error').hidden") as? Bool == true)

        let screenshot = try browser.screenshot()
        let destination = URL(fileURLWithPath: ProcessInfo.processInfo.environment["LRP_SCREENSHOT"] ?? ".build/browser/explorer.png")
        try FileManager.default.createDirectory(at: destination.deletingLastPathComponent(), withIntermediateDirectories: true)
        try screenshot.write(to: destination)
        print("screenshot written to \(destination.path)")
    }
}

/// The median, smallest and largest of `values` in milliseconds.
private func summary(_ values: [Double]) -> String {
    let sorted = values.sorted()
    return String(format: "median %.1f ms (%.1f–%.1f)", sorted[sorted.count / 2], sorted[0], sorted[sorted.count - 1])
}
