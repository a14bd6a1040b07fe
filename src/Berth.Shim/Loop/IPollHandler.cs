namespace Berth.Shim.Loop;

/// <summary>Something that owns a file descriptor registered with the <see cref="EventLoop"/>.</summary>
internal interface IPollHandler
{
    /// <summary>Called on the loop thread with the ready epoll event bits.</summary>
    void OnPoll(uint events);
}
