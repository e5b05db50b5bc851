package stdlib

// codecSpecs declares the encoding modules std::base64, std::binary, std::json and std::url.
func codecSpecs() []FnSpec {
	return []FnSpec{
		pure("base64", "encode", "Encodes bytes as a padded standard base64 string.", "input"),
		pure("base64", "decode", "Decodes a standard base64 string (padding optional) into bytes.", "input"),

		pure("binary", "len", "Returns the number of bytes in a binary.", "bytes"),
		pure("binary", "from_bytes", "Builds a binary from an array of integers in 0..255.", "array"),
		pure("binary", "into_bytes", "Returns the bytes of a binary as an array of integers.", "bytes"),

		pure("json", "decode", "Parses a JSON string into a value.", "input"),
		pure("json", "encode", "Encodes a value as compact JSON, keeping record key order.", "input"),
		pure("json", "encode_pretty", "Encodes a value as JSON indented by two spaces.", "input"),

		pure("url", "encode", "Percent-encodes every byte of the string except ASCII letters and digits.", "input"),
		pure("url", "decode", "Decodes `%XX` escapes in a percent-encoded string.", "input"),
	}
}
