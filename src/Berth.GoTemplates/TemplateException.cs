namespace Berth.GoTemplates;

/// <summary>
/// A parse or execution error, with Go's message text, e.g.
/// <c>template: :1: unexpected "}" in operand</c> or
/// <c>template: :1:2: executing "" at &lt;.Foo&gt;: map has no entry for key "Foo"</c>.
/// </summary>
public sealed class TemplateException(string message) : Exception(message);
