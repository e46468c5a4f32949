/// What is validated: the request, as it was sent, and the response, as it arrived.
public struct ValidationInput: Sendable {
    public enum Response: Sendable {
        /// An event stream's bytes.
        case stream([UInt8])
        /// A JSON body's bytes (an `ImagesResponse`, or an error body).
        case body([UInt8])
    }

    /// The JSON request body; for a multipart edit, its form fields as a JSON object of strings.
    public var request: JSONValue?
    /// Whether `request` is a multipart form's fields (strings that stand for numbers).
    public var requestIsForm: Bool
    public var response: Response
    /// The progress socket recorded next to the exchange (a dialect's `progress:`).
    public var progress: ProgressRecording?

    public init(request: JSONValue? = nil, requestIsForm: Bool = false, response: Response, progress: ProgressRecording? = nil) {
        self.request = request
        self.requestIsForm = requestIsForm
        self.response = response
        self.progress = progress
    }
}
