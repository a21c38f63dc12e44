// `make snippets`: writes Tests/LRPDocumentationTests/Snippets from the documentation's Swift snippets,
// compiled together with Tests/LRPDocumentationTests/SnippetExtraction.swift (run from the repository root).
import Foundation

let root = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
let folder = root.appendingPathComponent("Tests/LRPDocumentationTests/Snippets")
let files = SnippetExtraction.generatedFiles(for: try SnippetExtraction.snippets(inRepository: root))
let manager = FileManager.default
try manager.createDirectory(at: folder, withIntermediateDirectories: true)
for name in try manager.contentsOfDirectory(atPath: folder.path) where files[name] == nil {
    try manager.removeItem(at: folder.appendingPathComponent(name))
}
for (name, text) in files where (try? String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)) != text {
    try text.write(to: folder.appendingPathComponent(name), atomically: true, encoding: .utf8)
}
print("\(files.count) snippets in \(folder.path)")
