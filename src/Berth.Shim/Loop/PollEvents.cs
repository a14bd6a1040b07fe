namespace Berth.Shim.Loop;

/// <summary>epoll event bits.</summary>
internal static class PollEvents
{
    public const uint In = 0x001, Out = 0x004, Error = 0x008, HangUp = 0x010, ReadHangUp = 0x2000;
}
