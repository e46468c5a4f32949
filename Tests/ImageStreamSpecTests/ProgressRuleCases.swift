import ImageStreamSpec

/// The gateway's progress socket, recorded beside its answer: each PROGRESS rule shown kept
/// and broken, on both transports.
enum ProgressRuleCases {
    typealias Frame = ProgressRecording.Frame

    static let job = "job-7"
    static let open = Frame(seconds: 0, text: #"0{"sid":"a","upgrades":[],"pingInterval":25000,"pingTimeout":20000,"maxPayload":1000000}"#)
    static let joined = Frame(seconds: 0, text: #"40/image-progress,{"sid":"b"}"#)

    static func socketIO(_ percent: Int, at seconds: Double, job: String = job) -> Frame {
        Frame(seconds: seconds, text: #"42/image-progress,["progress",{"job_id":"\#(job)","progress":\#(percent)}]"#)
    }

    static func complete(at seconds: Double, job: String = job) -> Frame {
        Frame(seconds: seconds, text: #"42/image-progress,["complete",{"job_id":"\#(job)","progress":100,"status":"completed"}]"#)
    }

    static func comfy(_ value: Int, of max: Int, at seconds: Double) -> Frame {
        Frame(seconds: seconds, text: #"{"type":"progress","data":{"value":\#(value),"max":\#(max),"prompt_id":"\#(job)"}}"#)
    }

    /// A whole job: 25, 50, 75, 100, then the completion, all before the answer ended at 2 s.
    static let whole = [open, joined, socketIO(25, at: 0.5), socketIO(50, at: 1), socketIO(75, at: 1.5), socketIO(100, at: 2), complete(at: 2)]

    static func recording(_ frames: [Frame], transport: ProgressRecording.Transport = .socketIO, jobs: [String] = [job], ended: Double = 2.0) -> ProgressRecording {
        ProgressRecording(transport: transport, frames: frames, jobs: jobs, answerEndedSeconds: ended)
    }

    static func example(_ rule: String, _ name: String, violates: Bool, _ recording: ProgressRecording) -> RuleCase {
        var example = RuleCase(rule: rule, name: name, violates: violates, surface: "images.generate", dialect: "gateway",
                               request: DialectRuleCases.gatewayRequest, response: .body(DialectRuleCases.gatewayURLBody))
        example.progress = recording
        return example
    }

    static let all: [RuleCase] = [
        example("PROGRESS-001", "a whole Socket.IO job", violates: false, recording(whole)),
        example("PROGRESS-001", "ComfyUI messages on a plain socket", violates: false, recording([comfy(5, of: 10, at: 1), comfy(10, of: 10, at: 2)], transport: .webSocket)),
        example("PROGRESS-001", "a packet cut in half", violates: true, recording(whole + [Frame(seconds: 1.2, text: #"42/image-progress,["progress",{"job_"#)])),
        example("PROGRESS-001", "an Engine.IO type that does not exist", violates: true, recording(whole + [Frame(seconds: 1.2, text: "9")])),
        example("PROGRESS-001", "no open packet first", violates: true, recording(Array(whole.dropFirst()))),
        example("PROGRESS-001", "a plain frame that is not JSON", violates: true, recording([comfy(5, of: 10, at: 1), Frame(seconds: 1.5, text: "50%")], transport: .webSocket)),
        example("PROGRESS-002", "percentages from 25 to 100", violates: false, recording(whole)),
        example("PROGRESS-002", "a value of 150", violates: true, recording(whole + [socketIO(150, at: 2)])),
        example("PROGRESS-002", "ComfyUI's value above its max", violates: true, recording([comfy(12, of: 10, at: 1)], transport: .webSocket)),
        example("PROGRESS-003", "rising percentages", violates: false, recording(whole)),
        example("PROGRESS-003", "50 then 30", violates: true, recording([open, joined, socketIO(50, at: 0.5), socketIO(30, at: 1), socketIO(100, at: 2), complete(at: 2)])),
        example("PROGRESS-004", "done before the image", violates: false, recording(whole)),
        example("PROGRESS-004", "done after the image", violates: true, recording(whole, ended: 1.8)),
        example("PROGRESS-004", "never said done", violates: true, recording(Array(whole.prefix(4)))),
        example("PROGRESS-005", "the job the answer named", violates: false, recording(whole)),
        example("PROGRESS-005", "another job's progress", violates: true, recording(whole + [socketIO(10, at: 1, job: "job-8")])),
        example("PROGRESS-005", "a message naming no job", violates: true, recording([comfy(5, of: 10, at: 1), Frame(seconds: 1.5, text: #"{"type":"progress","data":{"value":6,"max":10}}"#)], transport: .webSocket)),
    ]
}
