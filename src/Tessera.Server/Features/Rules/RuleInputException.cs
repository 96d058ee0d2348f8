namespace Tessera.Server.Features.Rules;

/// <summary>
/// A trigger or action list that cannot be compiled. The message says where and why, e.g.
/// <c>$or[1].tags: $where is not supported</c>; rule writes answer it as a 400 naming the field.
/// </summary>
public sealed class RuleInputException(string message) : Exception(message);
