using System.Net;
using System.Net.Sockets;

namespace PayTrack.Tests.Support;

/// <summary>A webhook receiver that accepts connections on loopback and never reads or answers anything.</summary>
public sealed class Tarpit : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly List<Socket> _held = [];
    private readonly CancellationTokenSource _stop = new();

    public Tarpit()
    {
        _listener.Start();
        _ = Task.Run(async () =>
        {
            while (!_stop.IsCancellationRequested)
            {
                try { var s = await _listener.AcceptSocketAsync(_stop.Token); lock (_held) _held.Add(s); }
                catch { return; }
            }
        });
    }

    public string Url => $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/hook";

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        lock (_held) foreach (var s in _held) s.Dispose();
        _stop.Dispose();
    }
}
