namespace Mesos.Projections.Marten.Documents;

/// <summary>
/// The log position the documents reflect, and the version of their shape, written in the same transaction as
/// the documents (table <c>mt_doc_documentscheckpoint</c>, one row).
/// </summary>
public sealed record DocumentsCheckpoint(string Id, long Position, int Version)
{
    public const string Key = "read-model-documents";
}
