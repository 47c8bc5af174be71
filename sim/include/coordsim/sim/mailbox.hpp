#pragma once
// Double-buffered mailbox. During a phase each sender posts into its own outbox (no locks, no
// sharing); deliver() then builds the inbox, grouped by recipient and ordered by sender id and
// post order, so what a recipient reads never depends on thread scheduling. Messages posted in
// step t are read after the next deliver(), never in the phase that posted them.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace coordsim::sim {

template <class Message>
struct Envelope {
  std::uint32_t sender;
  Message message;
};

template <class Message>
class Mailbox {
 public:
  Mailbox(std::size_t senders, std::size_t recipients)
      : outboxes_(senders), offsets_(recipients + 1, 0) {}

  std::size_t senders() const noexcept { return outboxes_.size(); }
  std::size_t recipients() const noexcept { return offsets_.size() - 1; }

  // Safe to call concurrently for different senders.
  void post(std::size_t sender, std::size_t recipient, const Message& message) {
    outboxes_[sender].push_back(Pending{static_cast<std::uint32_t>(recipient), message});
  }

  // Moves every posted message to the inbox (replacing the previous inbox) and empties outboxes.
  void deliver() {
    std::fill(offsets_.begin(), offsets_.end(), 0);
    for (const auto& outbox : outboxes_)
      for (const auto& pending : outbox) ++offsets_[pending.recipient + 1];
    for (std::size_t r = 1; r < offsets_.size(); ++r) offsets_[r] += offsets_[r - 1];
    inbox_.resize(offsets_.back());
    cursor_.assign(offsets_.begin(), offsets_.end() - 1);
    for (std::size_t s = 0; s < outboxes_.size(); ++s) {
      for (const auto& pending : outboxes_[s])
        inbox_[cursor_[pending.recipient]++] = Envelope<Message>{static_cast<std::uint32_t>(s), pending.message};
      outboxes_[s].clear();
    }
  }

  std::span<const Envelope<Message>> inbox(std::size_t recipient) const {
    return {inbox_.data() + offsets_[recipient], inbox_.data() + offsets_[recipient + 1]};
  }
  std::size_t delivered() const noexcept { return inbox_.size(); }

 private:
  struct Pending {
    std::uint32_t recipient;
    Message message;
  };
  std::vector<std::vector<Pending>> outboxes_;
  std::vector<Envelope<Message>> inbox_;
  std::vector<std::size_t> offsets_;
  std::vector<std::size_t> cursor_;
};

}  // namespace coordsim::sim
