using System.Buffers;
using System.IO.Pipelines;
using System.Security.Cryptography;
using Berth.Oci.Digests;
using Berth.Oci.Errors;
using Microsoft.Win32.SafeHandles;

namespace Berth.Oci.Content;

/// <summary>
/// One upload session of <see cref="BlobUploadArea"/>. Chunks are appended strictly in order, one at a time; a chunk
/// that fails half-way (client gone, bad length) is cut off again so the session stays at its last good size.
/// The sha256 of the bytes is kept running in memory so that committing a large blob does not read it back.
/// </summary>
public sealed class BlobUpload
{
    internal const string InfoFile = "info";
    internal const string DataFile = "data";

    private readonly BlobUploadArea _area;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private IncrementalHash? _hash;
    private long _hashedLength;

    internal BlobUpload(BlobUploadArea area, string id, string owner, DateTimeOffset startedAt, bool hashedSoFar)
    {
        _area = area;
        Id = id;
        Owner = owner;
        StartedAt = startedAt;
        DataPath = Path.Combine(area.Directory, id, DataFile);
        if (hashedSoFar) _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    }

    public string Id { get; }

    /// <summary>Who started the session (the registry stores the repository name); checked by the caller.</summary>
    public string Owner { get; }

    public DateTimeOffset StartedAt { get; }

    internal string DataPath { get; }

    internal bool IsClosed { get; private set; }

    /// <summary>Bytes received so far.</summary>
    public long Size
    {
        get
        {
            var info = new FileInfo(DataPath);
            return info.Exists ? info.Length : throw BlobUploadArea.Unknown(Id);
        }
    }

    /// <summary>
    /// Appends one chunk. When <paramref name="atOffset"/> is given it must equal <see cref="Size"/> (else Conflict);
    /// when <paramref name="length"/> is given exactly that many bytes must arrive (else Invalid). Returns the new size.
    /// </summary>
    public async Task<long> AppendAsync(PipeReader body, long? atOffset, long? length, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            EnsureOpen();
            using var handle = File.OpenHandle(DataPath, FileMode.Open, FileAccess.Write, FileShare.Read, FileOptions.Asynchronous);
            long start = RandomAccess.GetLength(handle);
            if (atOffset is { } offset && offset != start)
                throw BerthException.Conflict($"blob upload {Id}: chunk starts at {offset} but {start} bytes were received");
            long position = start;
            bool hashInStep = _hash is not null && _hashedLength == start;
            // Request bodies arrive in small segments: gather them so the file sees few, large writes.
            byte[] pending = ArrayPool<byte>.Shared.Rent(1 << 20);
            int pendingLength = 0;
            void Flush()
            {
                if (pendingLength == 0) return;
                if (hashInStep) _hash!.AppendData(pending, 0, pendingLength);
                RandomAccess.Write(handle, pending.AsSpan(0, pendingLength), position);
                position += pendingLength;
                pendingLength = 0;
            }
            try
            {
                long received = 0;
                while (true)
                {
                    var result = await body.ReadAsync(cancellationToken);
                    var buffer = result.Buffer;
                    foreach (var segment in buffer)
                    {
                        received += segment.Length;
                        if (length is { } max && received > max)
                            throw BerthException.Invalid($"blob upload {Id}: more than the announced {max} bytes");
                        var rest = segment.Span;
                        while (!rest.IsEmpty)
                        {
                            int take = Math.Min(rest.Length, pending.Length - pendingLength);
                            rest[..take].CopyTo(pending.AsSpan(pendingLength));
                            pendingLength += take;
                            rest = rest[take..];
                            if (pendingLength == pending.Length) Flush();
                        }
                    }
                    body.AdvanceTo(buffer.End);
                    if (result.IsCompleted || result.IsCanceled) break;
                }
                if (length is { } want && received != want)
                    throw BerthException.Invalid($"blob upload {Id}: announced {want} bytes, received {received}");
                Flush();
            }
            catch
            {
                // Keep the session at its last complete chunk; the running hash saw bytes that are now gone.
                RandomAccess.SetLength(handle, start);
                if (hashInStep) DropHash();
                throw;
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(pending);
            }
            if (hashInStep) _hashedLength = position;
            else DropHash();
            return position;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Verifies the received bytes hash to <paramref name="expected"/> and moves them into the store. On a mismatch
    /// nothing is stored, the session is removed and Invalid is thrown.
    /// </summary>
    public async Task<BlobInfo> CommitAsync(Digest expected, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            EnsureOpen();
            long size;
            Digest actual;
            using (var handle = File.OpenHandle(DataPath, FileMode.Open, FileAccess.ReadWrite, FileShare.Read, FileOptions.Asynchronous))
            {
                size = RandomAccess.GetLength(handle);
                RandomAccess.FlushToDisk(handle);
                if (_hash is not null && _hashedLength == size && expected.Algorithm == "sha256")
                    actual = Digest.FromHash("sha256", _hash.GetCurrentHash());
                else
                    actual = await HashFileAsync(handle, size, expected, cancellationToken);
            }
            if (actual != expected)
            {
                Close();
                throw BerthException.Invalid($"blob {expected}: uploaded content hashes to {actual}");
            }
            _area.Store.PlaceVerifiedFile(DataPath, actual);
            Close();
            return new BlobInfo(actual, size);
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Cancel()
    {
        _gate.Wait();
        try { Close(); }
        finally { _gate.Release(); }
    }

    private static async Task<Digest> HashFileAsync(SafeFileHandle handle, long size, Digest expected, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(expected.HashAlgorithm);
        byte[] buffer = ArrayPool<byte>.Shared.Rent(1 << 20);
        try
        {
            long position = 0;
            while (position < size)
            {
                int read = await RandomAccess.ReadAsync(handle, buffer, position, cancellationToken);
                if (read == 0) break;
                hash.AppendData(buffer, 0, read);
                position += read;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        return Digest.FromHash(expected.Algorithm, hash.GetHashAndReset());
    }

    private void DropHash()
    {
        _hash?.Dispose();
        _hash = null;
    }

    private void EnsureOpen()
    {
        if (IsClosed) throw BlobUploadArea.Unknown(Id);
    }

    private void Close()
    {
        IsClosed = true;
        DropHash();
        _area.Forget(this);
    }
}
