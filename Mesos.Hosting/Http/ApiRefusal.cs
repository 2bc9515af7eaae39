namespace Mesos.Hosting.Http;

/// <summary>A v1 API call refused at the door, before its body is parsed: the HTTP status and Mesos' text for it.</summary>
public readonly record struct ApiRefusal(int StatusCode, string Message);
