namespace GovEvents.Store;

/// <summary>A value that flows with the async call chain, set for a scope and restored after it.</summary>
internal sealed class Ambient<T> where T : class
{
    private readonly AsyncLocal<T?> _value = new();

    public T? Value => _value.Value;

    public IDisposable Use(T value)
    {
        var previous = _value.Value;
        _value.Value = value;
        return new Scope(this, previous);
    }

    private sealed class Scope(Ambient<T> ambient, T? previous) : IDisposable
    {
        public void Dispose() => ambient._value.Value = previous;
    }
}
