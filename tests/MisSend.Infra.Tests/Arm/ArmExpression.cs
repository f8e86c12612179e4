using System.Globalization;
using System.Text;

namespace MisSend.Infra.Tests.Arm;

/// <summary>
/// A value that only Azure knows at deployment time (reference(), uniqueString(), subscription(), ...).
/// <see cref="Text"/> is the call with every argument that could be evaluated already substituted, so two
/// unknowns that denote the same thing compare equal even when they come from different modules.
/// </summary>
public sealed record Unknown(string Text)
{
    public override string ToString() => "⟨" + Text + "⟩";
}

/// <summary>Syntax tree of an ARM template language expression (the text between '[' and ']').</summary>
public abstract record ArmNode;

public sealed record ArmLiteral(object? Value) : ArmNode;

public sealed record ArmCall(string Name, IReadOnlyList<ArmNode> Args) : ArmNode;

public sealed record ArmMember(ArmNode Target, string Name) : ArmNode;

public sealed record ArmIndex(ArmNode Target, ArmNode Key) : ArmNode;

/// <summary>Recursive-descent parser for ARM expressions: calls, 'strings', numbers, .member and [index].</summary>
public sealed class ArmExpressionParser
{
    private readonly string _text;
    private int _pos;

    private ArmExpressionParser(string text) => _text = text;

    public static ArmNode Parse(string text)
    {
        var parser = new ArmExpressionParser(text);
        var node = parser.Expression();
        parser.SkipWhitespace();
        if (parser._pos != text.Length)
        {
            throw new FormatException($"Unexpected '{text[parser._pos..]}' in ARM expression '{text}'.");
        }

        return node;
    }

    private ArmNode Expression()
    {
        SkipWhitespace();
        var node = Primary();
        while (true)
        {
            SkipWhitespace();
            if (Peek('.'))
            {
                _pos++;
                node = new ArmMember(node, Identifier());
            }
            else if (Peek('['))
            {
                _pos++;
                var key = Expression();
                Expect(']');
                node = new ArmIndex(node, key);
            }
            else
            {
                return node;
            }
        }
    }

    private ArmNode Primary()
    {
        if (Peek('\''))
        {
            return new ArmLiteral(StringLiteral());
        }

        if (_pos < _text.Length && (char.IsDigit(_text[_pos]) || _text[_pos] == '-'))
        {
            var start = _pos++;
            while (_pos < _text.Length && char.IsDigit(_text[_pos]))
            {
                _pos++;
            }

            return new ArmLiteral(long.Parse(_text[start.._pos], CultureInfo.InvariantCulture));
        }

        var name = Identifier();
        SkipWhitespace();
        if (!Peek('('))
        {
            return name switch
            {
                "true" => new ArmLiteral(true),
                "false" => new ArmLiteral(false),
                "null" => new ArmLiteral(null),
                _ => throw new FormatException($"Bare identifier '{name}' in ARM expression '{_text}'."),
            };
        }

        _pos++;
        var args = new List<ArmNode>();
        SkipWhitespace();
        if (Peek(')'))
        {
            _pos++;
            return new ArmCall(name, args);
        }

        while (true)
        {
            args.Add(Expression());
            SkipWhitespace();
            if (Peek(','))
            {
                _pos++;
                continue;
            }

            Expect(')');
            return new ArmCall(name, args);
        }
    }

    private string StringLiteral()
    {
        var sb = new StringBuilder();
        _pos++; // opening quote
        while (true)
        {
            if (_pos >= _text.Length)
            {
                throw new FormatException($"Unterminated string in ARM expression '{_text}'.");
            }

            var c = _text[_pos++];
            if (c != '\'')
            {
                sb.Append(c);
            }
            else if (Peek('\''))
            {
                sb.Append('\'');
                _pos++;
            }
            else
            {
                return sb.ToString();
            }
        }
    }

    private string Identifier()
    {
        SkipWhitespace();
        var start = _pos;
        while (_pos < _text.Length && (char.IsLetterOrDigit(_text[_pos]) || _text[_pos] is '_' or '$' or '#'))
        {
            _pos++;
        }

        if (start == _pos)
        {
            throw new FormatException($"Identifier expected at {_pos} in ARM expression '{_text}'.");
        }

        return _text[start.._pos];
    }

    private void Expect(char c)
    {
        SkipWhitespace();
        if (!Peek(c))
        {
            throw new FormatException($"'{c}' expected at {_pos} in ARM expression '{_text}'.");
        }

        _pos++;
    }

    private bool Peek(char c) => _pos < _text.Length && _text[_pos] == c;

    private void SkipWhitespace()
    {
        while (_pos < _text.Length && char.IsWhiteSpace(_text[_pos]))
        {
            _pos++;
        }
    }
}
