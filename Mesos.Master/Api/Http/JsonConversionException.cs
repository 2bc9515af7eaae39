namespace Mesos.Master.Api.Http;

/// <summary>JSON that parses but does not convert into the Call message (wrong kinds, missing required fields, bad base64).</summary>
public sealed class JsonConversionException(string message) : Exception(message);
