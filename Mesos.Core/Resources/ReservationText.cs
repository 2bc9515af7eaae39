using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using Mesos.Core.Collections;

namespace Mesos.Core.Resources;

/// <summary>
/// The text between the parentheses of <c>name(...)</c>: a reservation stack. One static reservation is the role
/// alone (<c>cpus(eng)</c>, Mesos' syntax, unchanged so that states without dynamic reservations print and hash
/// as before). Otherwise entries are separated by ',', a dynamic one is <c>role@principal</c> with optional
/// <c>#key=value&amp;key</c> labels: <c>cpus(eng,eng/web@alice#team=a):2</c>. Characters that would be read
/// as syntax are written as <c>%XX</c>.
/// </summary>
public static class ReservationText
{
    private const string Special = "%,@#=&();:[]{}";

    public static string Format(ImmutableArray<ResourceReservation> stack)
    {
        if (stack.Length == 1 && stack[0].Type == ReservationType.Static && !NeedsEscape(stack[0].Role))
        {
            return stack[0].Role;
        }

        var text = new StringBuilder();
        foreach (var reservation in stack)
        {
            if (text.Length > 0)
            {
                text.Append(',');
            }

            text.Append(Escape(reservation.Role));
            if (reservation.IsDynamic)
            {
                text.Append('@').Append(Escape(reservation.Principal ?? string.Empty));
                if (!reservation.Labels.IsEmpty)
                {
                    text.Append('#').Append(string.Join("&", reservation.Labels.Select(l => Escape(l.Key) + (l.Value is null ? string.Empty : "=" + Escape(l.Value)))));
                }
            }
        }

        return text.ToString();
    }

    public static bool TryParse(string text, out ImmutableArray<ResourceReservation> stack, [NotNullWhen(false)] out string? error)
    {
        stack = ImmutableArray<ResourceReservation>.Empty;
        if (text.IndexOfAny([',', '@', '#', '%']) < 0)
        {
            if (!Roles.IsValid(text, out var roleError))
            {
                error = roleError ?? $"'{text}' is not a valid role";
                return false;
            }

            error = null;

            stack = text == Roles.Default ? [] : [ResourceReservation.Static(text)];
            return true;
        }

        var entries = ImmutableArray.CreateBuilder<ResourceReservation>();
        foreach (var part in text.Split(','))
        {
            var at = part.IndexOf('@', StringComparison.Ordinal);
            var roleText = at < 0 ? part : part[..at];
            if (!TryUnescape(roleText.Trim(), out var role, out error))
            {
                return false;
            }

            if (at < 0)
            {
                entries.Add(ResourceReservation.Static(role));
                continue;
            }

            var rest = part[(at + 1)..];
            var hash = rest.IndexOf('#', StringComparison.Ordinal);
            if (!TryUnescape(hash < 0 ? rest : rest[..hash], out var principal, out error))
            {
                return false;
            }

            var labels = ImmutableArray.CreateBuilder<ReservationLabel>();
            if (hash >= 0)
            {
                foreach (var pair in rest[(hash + 1)..].Split('&'))
                {
                    var eq = pair.IndexOf('=', StringComparison.Ordinal);
                    if (!TryUnescape(eq < 0 ? pair : pair[..eq], out var key, out error))
                    {
                        return false;
                    }

                    string? value = null;
                    if (eq >= 0 && !TryUnescape(pair[(eq + 1)..], out value, out error))
                    {
                        return false;
                    }

                    labels.Add(new ReservationLabel(key, value));
                }
            }

            entries.Add(ResourceReservation.Dynamic(role, principal, new ValueArray<ReservationLabel>(labels.ToImmutable())));
        }

        stack = entries.ToImmutable();
        return TryValidate(stack, out error);
    }

    /// <summary>Mesos' rules for a stack: no '*', statics only at the bottom, each entry a strict subrole of the one below.</summary>
    public static bool TryValidate(ImmutableArray<ResourceReservation> stack, [NotNullWhen(false)] out string? error)
    {
        for (var i = 0; i < stack.Length; i++)
        {
            var reservation = stack[i];
            if (reservation.Type is not (ReservationType.Static or ReservationType.Dynamic))
            {
                error = $"reservation for role '{reservation.Role}' has no type (STATIC or DYNAMIC)";
                return false;
            }

            if (reservation.Role == Roles.Default)
            {
                error = "resources cannot be reserved for role '*'";
                return false;
            }

            if (!Roles.IsValid(reservation.Role, out var roleError))
            {
                error = roleError ?? $"'{reservation.Role}' is not a valid role";
                return false;
            }

            if (i > 0 && reservation.Type == ReservationType.Static && stack[i - 1].IsDynamic)
            {
                error = $"static reservation for '{reservation.Role}' is above a dynamic one; static reservations come first";
                return false;
            }

            if (i > 0 && !Roles.IsStrictSubroleOf(reservation.Role, stack[i - 1].Role))
            {
                error = $"reservation for '{reservation.Role}' refines '{stack[i - 1].Role}' but is not one of its subroles";
                return false;
            }
        }

        error = null;
        return true;
    }

    private static bool NeedsEscape(string text) => text.Any(c => Special.Contains(c, StringComparison.Ordinal) || char.IsWhiteSpace(c) || char.IsControl(c));

    internal static string Escape(string text)
    {
        if (!NeedsEscape(text))
        {
            return text;
        }

        var w = new StringBuilder(text.Length + 8);
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            var c = (char)b;
            if (b < 0x80 && !Special.Contains(c, StringComparison.Ordinal) && !char.IsWhiteSpace(c) && !char.IsControl(c))
            {
                w.Append(c);
            }
            else
            {
                w.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return w.ToString();
    }

    internal static bool TryUnescape(string text, out string value, [NotNullWhen(false)] out string? error)
    {
        value = text;
        error = null;
        if (!text.Contains('%', StringComparison.Ordinal))
        {
            return true;
        }

        var bytes = new List<byte>(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] != '%')
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(text[i].ToString()));
                continue;
            }

            if (i + 2 >= text.Length || !byte.TryParse(text.AsSpan(i + 1, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var b))
            {
                error = $"'{text}' has a '%' not followed by two hex digits";
                return false;
            }

            bytes.Add(b);
            i += 2;
        }

        value = Encoding.UTF8.GetString([.. bytes]);
        return true;
    }
}
