namespace Webhook.Domain.Querying;

public sealed record ProjectStage(IReadOnlyList<ProjectField> Fields, bool ExcludeKeys, string Path) : StatStage(Path);

public enum ProjectOperator { None, Size, Sum, ArrayToObject, ObjectToArray }

public sealed record ProjectField(string Key, string Name, ProjectOperator Operator, string Path);
