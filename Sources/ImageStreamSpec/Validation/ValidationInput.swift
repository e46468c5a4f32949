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
    public var response: Response

    public init(request: JSONValue? = nil, response: Response) {
        self.request = request
        self.response = response
    }
}
