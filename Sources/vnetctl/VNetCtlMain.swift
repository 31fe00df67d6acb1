import Foundation
import VNetCommands

@main
enum VNetCtlMain {
    static func main() async {
        exit(await VNetCtl.run(arguments: Array(CommandLine.arguments.dropFirst())))
    }
}
