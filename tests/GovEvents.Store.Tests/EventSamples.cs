using System.Collections;
using System.Collections.ObjectModel;
using System.Globalization;
using System.Reflection;

namespace GovEvents.Store.Tests;

/// <summary>
/// One sample of any event, built from its constructor: every parameter, nested records and lists
/// included, gets a value of its type. Nullables get a value too, so nothing goes untested by being null.
/// </summary>
public static class EventSamples
{
    /// <summary>An instant in the hall's time zone, to the millisecond.</summary>
    public static readonly DateTimeOffset At = new(2026, 3, 2, 9, 30, 15, 123, TimeSpan.FromHours(8));
    public static readonly DateOnly Day = new(2026, 3, 2);

    /// <summary>Money in turn: scale 2, zero, and the largest amount the hall handles, to the fen.</summary>
    public static readonly decimal[] Amounts = [12.50m, 0m, 999_999_999.90m];

    public static object Of(Type type) => new Builder().Build(type, type.Name);

    /// <summary>
    /// Every amount and instant inside <paramref name="value"/> as exact text: equality calls 12.5m
    /// and 12.50m equal, and two instants equal whatever their offsets; this does not.
    /// </summary>
    public static IEnumerable<string> ExactValues(object? value) => value switch
    {
        null or string or bool or int or DateOnly or Enum => [],
        decimal amount => [amount.ToString(CultureInfo.InvariantCulture)],
        DateTimeOffset instant => [instant.ToString("O", CultureInfo.InvariantCulture)],
        IEnumerable items => items.Cast<object>().SelectMany(ExactValues),
        _ => value.GetType().GetProperties().SelectMany(p => ExactValues(p.GetValue(value))),
    };

    private sealed class Builder
    {
        private int _amounts;

        public object Build(Type type, string name)
        {
            type = Nullable.GetUnderlyingType(type) ?? type;
            if (type == typeof(string)) return $"{name} 办件";
            if (type == typeof(int)) return 3;
            // Beyond a double's exact integers: a sequence number must not pass through one.
            if (type == typeof(long)) return 9_007_199_254_740_993L;
            if (type == typeof(bool)) return true;
            if (type == typeof(decimal)) return Amounts[_amounts++ % Amounts.Length];
            if (type == typeof(DateOnly)) return Day;
            if (type == typeof(DateTimeOffset)) return At;
            if (type.IsEnum) return Enum.GetValues(type).GetValue(Enum.GetValues(type).Length - 1)!;
            if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IReadOnlyList<>))
            {
                var list = (System.Collections.IList)Activator.CreateInstance(typeof(List<>).MakeGenericType(type.GenericTypeArguments))!;
                list.Add(Build(type.GenericTypeArguments[0], name + "1"));
                list.Add(Build(type.GenericTypeArguments[0], name + "2"));
                // What Newtonsoft reads an IReadOnlyList<T> as, so equivalence compares items, not collection types.
                return Activator.CreateInstance(typeof(ReadOnlyCollection<>).MakeGenericType(type.GenericTypeArguments), list)!;
            }
            var constructor = type.GetConstructors(BindingFlags.Public | BindingFlags.Instance).Single();
            return constructor.Invoke([.. constructor.GetParameters().Select(p => Build(p.ParameterType, p.Name!))]);
        }
    }
}
